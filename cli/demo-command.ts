/**
 * `client-vpn-logging demo`: the product's whole job on a built-in sample organization, with no AWS
 * account, credentials or network. Exit status: 0 when the demo ran as designed (every runbook
 * execution succeeded and every endpoint it changed is COMPLIANT after), 1 when it did not, 2 when it
 * could not run (for example no Python with boto3 for the runbook's script step).
 */
import { spawnSync } from 'node:child_process';

import { Command, Option } from 'commander';

import type { DemoReport } from '../sandbox/demo-scenario';
import { processStreams, type CommandStreams } from './command-streams';
import { demoReportText, textStyle } from './demo-report-text';

/** The exit statuses of `demo`. */
export const DEMO_EXIT = { asDesigned: 0, notAsDesigned: 1, cannotRun: 2 } as const;

/** The formats `--output` takes. */
export const DEMO_OUTPUT_FORMATS = ['text', 'json'] as const;

interface DemoOptionValues {
  readonly output: (typeof DEMO_OUTPUT_FORMATS)[number];
  readonly python: string;
}

// https://no-color.org: a NO_COLOR that is present and not empty turns colour off.
function wantsColour(streams: CommandStreams): boolean {
  const { NO_COLOR: noColor, TERM: term, FORCE_COLOR: forceColor } = streams.env;
  // NO_COLOR (https://no-color.org), a terminal that says it cannot (TERM=dumb) and FORCE_COLOR=0 all turn it off.
  return (
    streams.stdout.isTTY === true &&
    (noColor === undefined || noColor === '') &&
    term !== 'dumb' &&
    forceColor !== '0'
  );
}

/**
 * Why the runbook's script step cannot run with this interpreter, or `undefined` when it can.
 *
 * @param python - the interpreter
 * @returns the problem, in a sentence
 */
export function pythonProblem(python: string): string | undefined {
  const probe = spawnSync(python, ['-c', 'import boto3'], { encoding: 'utf8', timeout: 15_000 });
  if (probe.error !== undefined) return `${python} cannot be started (${probe.error.message})`;
  if (probe.status !== 0) return `${python} cannot import boto3 (pip install boto3): ${probe.stderr.trim()}`;
  return undefined;
}

/**
 * Whether the run went as designed: every execution succeeded or refused before changing anything (as
 * the runbook does when its fix could not make the endpoint pass, e.g. a disabled key), and every
 * endpoint it changed passes.
 *
 * @param report - the demo's report
 * @returns the problems, empty when none
 */
export function departuresFromDesign(report: DemoReport): string[] {
  return report.remediations.flatMap((run) => {
    if (run.status !== 'Success' && run.changes.length > 0)
      return [`the runbook failed for ${run.endpointId} after changing it: ${run.failureMessage}`];
    const after = report.after.find((v) => v.endpointId === run.endpointId);
    if (run.changes.length > 0 && after?.compliance !== 'COMPLIANT')
      return [`${run.endpointId} is ${after?.compliance ?? 'missing'} after the runbook changed it`];
    return [];
  });
}

async function runDemo(options: DemoOptionValues, streams: CommandStreams): Promise<number> {
  const problem = pythonProblem(options.python);
  if (problem !== undefined) {
    streams.stderr.write(`demo: the runbook's script step needs Python 3 with boto3: ${problem}\n`);
    return DEMO_EXIT.cannotRun;
  }
  // Loaded when the demo runs, so `--help` and the other commands never load the AWS SDK clients.
  const { runDemoScenario } = await import('../sandbox/demo-scenario');
  const report = await runDemoScenario({ python: options.python });
  streams.stdout.write(
    options.output === 'json'
      ? `${JSON.stringify(report, null, 2)}\n`
      : demoReportText(report, textStyle(wantsColour(streams))),
  );
  const departures = departuresFromDesign(report);
  for (const departure of departures) streams.stderr.write(`demo: not as designed: ${departure}\n`);
  return departures.length === 0 ? DEMO_EXIT.asDesigned : DEMO_EXIT.notAsDesigned;
}

/**
 * The `demo` subcommand.
 *
 * @param streams - where it writes; the process's by default
 * @returns the command, its action reporting the exit status through `streams`
 */
export function demoCommand(streams: CommandStreams = processStreams()): Command {
  return new Command('demo')
    .description(
      'show the rule judge and the runbook fix a built-in sample organization, on a loopback AWS (127.0.0.1): no AWS account needed',
    )
    .helpOption('-h, --help', 'show the demo command\u2019s options')
    .addOption(new Option('--output <format>', 'report format').choices(DEMO_OUTPUT_FORMATS).default('text'))
    .addOption(
      new Option(
        '--python <interpreter>',
        'the Python 3 (with boto3) the runbook\u2019s script step runs with',
      ).default('python3'),
    )
    .configureOutput({
      writeOut: (text) => void streams.stdout.write(text),
      writeErr: (text) => void streams.stderr.write(text),
    })
    .exitOverride()
    .action(async (values: DemoOptionValues) => {
      try {
        streams.exit(await runDemo(values, streams));
      } catch (error) {
        streams.stderr.write(
          `demo: could not run: ${error instanceof Error ? error.message : String(error)}\n`,
        );
        streams.exit(DEMO_EXIT.cannotRun);
      }
    });
}
