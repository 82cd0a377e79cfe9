/**
 * The audit command, as a function of its arguments and streams that returns the exit status:
 * parse the options, resolve the regions, scan them with the rule's sweep, print the findings,
 * and remediate when asked. `cli.ts` is only the process edge around it.
 */
import { askConfirmation } from './ask-confirmation';
import { configuredRegion, createAuditClients, type AuditClientsFactory } from './audit-clients';
import {
  AUDIT_USAGE,
  AuditOptionError,
  automationRolesByRegion,
  parseAuditOptions,
  type AuditOptions,
} from './options';
import { classifyRegionFailure } from './region-failure';
import { remediateEndpoints } from './remediate-endpoints';
import { runbookParametersFor } from './runbook-parameters';
import { formatJson, formatTable } from './report-format';
import { NoRegionConfiguredError, resolveRegions, scanRegions } from './scan-regions';

/** Exit status: 0 all compliant, 1 any NON_COMPLIANT, 2 on error. */
export type AuditExitCode = 0 | 1 | 2;

/** The streams the command talks through. */
export interface AuditStreams {
  /** Findings (table or JSON) go here, and nothing else. */
  readonly stdout: NodeJS.WritableStream;
  /** Progress, per-region failures, confirmation prompts and remediation outcomes go here. */
  readonly stderr: NodeJS.WritableStream;
  /** Confirmation answers are read from here; must be a terminal unless `--yes`. */
  readonly stdin: NodeJS.ReadableStream & { readonly isTTY?: boolean };
}

/** What the command builds on; tests replace these. */
export interface AuditDependencies {
  /**
   * Builds a region's clients.
   * @default createAuditClients
   */
  readonly clientsFor?: AuditClientsFactory;
  /**
   * Finds the configured region.
   * @default configuredRegion
   */
  readonly configuredRegion?: () => Promise<string | undefined>;
}

/**
 * Runs the audit command.
 *
 * @param argv - the arguments after `npm run audit --`
 * @param streams - stdout, stderr and stdin
 * @param dependencies - client factory and region lookup, replaceable in tests
 * @returns the exit status
 */
export async function runAudit(
  argv: readonly string[],
  streams: AuditStreams,
  dependencies: AuditDependencies = {},
): Promise<AuditExitCode> {
  const { stdout, stderr, stdin } = streams;
  const say = (text: string): void => void stderr.write(`${text}\n`);

  let options: AuditOptions;
  try {
    options = parseAuditOptions(argv);
  } catch (error) {
    if (!(error instanceof AuditOptionError)) throw error;
    say(`audit: ${error.message}\nRun "npm run audit -- --help" for the options.`);
    return 2;
  }
  if (options.help) {
    stdout.write(AUDIT_USAGE);
    return 0;
  }
  if (options.remediate && !options.yes && stdin.isTTY !== true) {
    say(
      'audit: --remediate asks for confirmation, but stdin is not a terminal. Run it in a terminal, or add --yes to remediate without asking.',
    );
    return 2;
  }

  const clients = new Map<string, ReturnType<AuditClientsFactory>>();
  const make = dependencies.clientsFor ?? createAuditClients;
  const clientsFor: AuditClientsFactory = (region) => {
    let c = clients.get(region);
    if (c === undefined) clients.set(region, (c = make(region)));
    return c;
  };

  try {
    return await audit();
  } finally {
    for (const c of clients.values()) {
      c.ec2.destroy();
      c.logs.destroy();
      c.kms.destroy();
      c.ssm.destroy();
    }
  }

  async function audit(): Promise<AuditExitCode> {
    const opts = options;
    let regions: string[];
    const configured =
      opts.regions.kind === 'listed'
        ? undefined
        : await (dependencies.configuredRegion ?? configuredRegion)();
    try {
      regions = await resolveRegions(opts.regions, clientsFor, configured);
    } catch (error) {
      if (error instanceof NoRegionConfiguredError) {
        say(`audit: ${error.message}`);
        return 2;
      }
      const failure = classifyRegionFailure(configured ?? 'unknown', error);
      say(
        failure.kind === 'no-credentials'
          ? `audit: ${failure.message}`
          : `audit: could not list the account's regions from ${failure.region}: ${failure.message}`,
      );
      return 2;
    }

    // Known only now for the configured region and --all-regions; --regions was checked when parsed.
    let automationAssumeRoles: ReadonlyMap<string, string>;
    try {
      automationAssumeRoles = automationRolesByRegion(opts.automationAssumeRole, regions, opts.remediate);
    } catch (error) {
      if (!(error instanceof AuditOptionError)) throw error;
      say(`audit: ${error.message}\nRun "npm run audit -- --help" for the options.`);
      return 2;
    }

    const multiRegion = regions.length > 1;
    let done = 0;
    const report = await scanRegions(regions, opts.parameters, {
      concurrency: opts.concurrency,
      clientsFor,
      onRegionDone: (region, outcome) => {
        done++;
        if (!multiRegion) return;
        const summary =
          'kind' in outcome
            ? `failed (${outcome.kind})`
            : `${outcome.length} endpoint(s), ${outcome.filter((f) => f.compliance === 'NON_COMPLIANT').length} NON_COMPLIANT`;
        say(`[${done}/${regions.length}] ${region}: ${summary}`);
      },
    });

    const noCredentials = report.failures.find((f) => f.kind === 'no-credentials');
    if (noCredentials !== undefined) {
      say(`audit: ${noCredentials.message}`);
      return 2;
    }

    stdout.write(opts.output === 'json' ? formatJson(report.findings) : formatTable(report.findings));
    if (opts.output === 'table' && report.findings.length === 0)
      say(`No Client VPN endpoints found in ${regions.join(', ')}.`);
    for (const failure of report.failures) say(`audit: ${failure.region}: ${failure.message}`);

    const nonCompliant = report.findings.filter((f) => f.compliance === 'NON_COMPLIANT');
    let remediationFailed = false;
    if (opts.remediate && nonCompliant.length > 0) {
      say(
        `\n${nonCompliant.length} NON_COMPLIANT endpoint(s) to remediate with the runbook ${opts.documentName}:`,
      );
      for (const f of nonCompliant) say(`  ${f.region}  ${f.endpointId}`);
      const go =
        opts.yes ||
        (await askConfirmation(
          `Start ${opts.documentName} for these ${nonCompliant.length} endpoint(s)?`,
          stdin,
          stderr,
        ));
      if (!go) {
        say('Remediation cancelled; nothing was started.');
      } else {
        const outcomes = await remediateEndpoints(nonCompliant, {
          documentName: opts.documentName,
          automationAssumeRoles,
          runbookParameters: runbookParametersFor(opts.parameters),
          clientsFor,
        });
        const saidForRegion = new Set<string>();
        for (const o of outcomes) {
          if (o.automationExecutionId !== undefined) {
            say(`  started ${o.automationExecutionId} for ${o.endpointId} (${o.region})`);
            continue;
          }
          remediationFailed = true;
          if (!o.regionWide) {
            say(`  could not start for ${o.endpointId} (${o.region}): ${o.problem}`);
          } else if (!saidForRegion.has(o.region)) {
            saidForRegion.add(o.region);
            say(`  ${o.problem}`);
          }
        }
      }
    }

    if (report.failures.length > 0 || remediationFailed) return 2;
    return nonCompliant.length > 0 ? 1 : 0;
  }
}
