import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import { startLoopbackServer, type LoopbackServer } from '../../sandbox/aws-loopback-server';
import { loopbackEnvironment } from '../../sandbox/loopback-environment';
import {
  accountIdOf,
  endpointIdOf,
  LOOPBACK_ACCOUNT_ID,
  loopbackWorld,
  withOrganization,
  worldRegion,
  type WorldRegion,
} from '../../sandbox/loopback-world';
import { documentedCommands, type DocumentedCommand } from './documented-commands';

// Every `client-vpn-logging` command the README and docs/ show (as `npx --no-install client-vpn-logging …` or
// `npm run -s audit|check-template -- …`) is run here, as written, through the package's bin in a fresh
// process, against the loopback AWS: an organization of two accounts, every region a page names, the runbook
// deployed, and the profiles a page names. A command passes when it runs to a verdict (exit 0 or 1); a usage
// error, an unknown option or a failed scan (exit 2) fails it.
const ROOT = join(__dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'client-vpn-logging.js');
const REGION_NAME = /^[a-z]{2,4}(?:-[a-z]+)+-\d$/;
// A Terraform plan (`terraform show -json`) stands in for the plan files and standard input a page names.
const TERRAFORM_PLAN = readFileSync(
  join(__dirname, '..', 'fixtures', 'terraform', 'provider-6-root-compliant.json'),
  'utf8',
);
const TERRAFORM_PLAN_FILE = /(?:^|\/)plan\.json$/;

/** The values a page's `$VARIABLES` stand for; a page that uses another variable fails the test. */
const SAMPLE_VARIABLES: Readonly<Record<string, string>> = {
  ACCOUNT_ID: LOOPBACK_ACCOUNT_ID,
};

/** The `client-vpn-logging` arguments of a documented command, or undefined when it is another kind. */
function cliArguments(command: DocumentedCommand): string[] | undefined {
  const [program, first, second, third, ...rest] = command.argv;
  if (program === 'npx' && first === '--no-install' && second === 'client-vpn-logging')
    return command.argv.slice(3);
  if (
    program === 'npm' &&
    first === 'run' &&
    second === '-s' &&
    ['audit', 'check-template'].includes(third)
  ) {
    return [third, ...rest.filter((word, index) => !(index === 0 && word === '--'))];
  }
  return undefined;
}

function substituted(word: string): string {
  return word.replace(/\$\{?([A-Z_][A-Z0-9_]*)\}?/g, (_, name: string) => {
    const value = SAMPLE_VARIABLES[name];
    if (value === undefined) throw new Error(`no sample value for $${name}: add one to SAMPLE_VARIABLES`);
    return value;
  });
}

/** Runs the bin in a fresh process, without blocking the loopback server that shares this process. */
function runBin(
  args: readonly string[],
  cwd: string,
  env: Record<string, string>,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
    // `check-template -` reads a plan from standard input, as `terraform show -json plan.out |` gives it.
    child.stdin.end(args[0] === 'check-template' && args.includes('-') ? TERRAFORM_PLAN : '');
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill(), 60_000);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

const valuesOf = (argvs: readonly string[][], option: string): string[] =>
  argvs.flatMap((argv) => argv.flatMap((word, index) => (argv[index - 1] === option ? [word] : [])));

const CLI_COMMANDS = documentedCommands(ROOT)
  .map((command) => ({ command, args: cliArguments(command) }))
  .filter((entry): entry is { command: DocumentedCommand; args: string[] } => entry.args !== undefined)
  .map(({ command, args }) => ({
    title: `${command.page}: ${command.argv.join(' ')}`,
    args: args.map(substituted),
  }));

describe('the client-vpn-logging commands shown in the README and docs/', () => {
  let server: LoopbackServer;
  let workDir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    // Prepare: every region and role a page names exists; each region has one endpoint that logs and one
    // that does not, and the runbook deployed.
    const argvs = CLI_COMMANDS.map(({ args }) => args);
    const named = argvs
      .flat()
      .flatMap((word) => word.split(/[,=]/))
      .filter((word) => REGION_NAME.test(word));
    const regionNames = [...new Set(['us-east-1', 'eu-west-1', ...named])];
    let counter = 0;
    const regions = (): Record<string, WorldRegion> =>
      Object.fromEntries(
        regionNames.map((name) => [
          name,
          worldRegion({
            endpoints: [
              {
                endpointId: endpointIdOf(++counter),
                status: 'available',
                enabled: true,
                logGroup: '/aws/clientvpn',
              },
              { endpointId: endpointIdOf(++counter), status: 'available', enabled: false },
            ],
            logGroups: [{ name: '/aws/clientvpn', retentionInDays: 365 }],
            documents: [
              {
                name: 'EnableClientVpnConnectionLogging',
                requiredParameters: ['ClientVpnEndpointId', 'AutomationAssumeRole'],
              },
            ],
          }),
        ]),
      );
    const roleNames = valuesOf(argvs, '--role-name');
    // The OUs a page names hold the second member account.
    const units = [...new Set(valuesOf(argvs, '--ou'))].map((id) => ({ id, name: id, parentId: 'r-a1b2' }));
    server = await startLoopbackServer({
      world: withOrganization(
        loopbackWorld(regions()),
        [
          { id: accountIdOf(1), roles: roleNames, regions: regions() },
          { id: accountIdOf(2), roles: roleNames, regions: regions(), parentId: units[0]?.id ?? 'r-a1b2' },
        ],
        [],
        units,
      ),
    });
    workDir = mkdtempSync(join(tmpdir(), 'documented-cli-'));
    // The profiles a page names, each with its own region, as the AWS CLI's config file holds them.
    const profiles = [...new Set(valuesOf(argvs, '--profile'))];
    const configFile = join(workDir, '.aws', 'config');
    mkdirSync(dirname(configFile), { recursive: true });
    writeFileSync(
      configFile,
      profiles
        .map(
          (name) =>
            `[profile ${name}]\nregion = eu-west-1\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n`,
        )
        .join('\n'),
    );
    env = {
      PATH: process.env.PATH ?? '',
      HOME: workDir,
      ...loopbackEnvironment(server.url, 'us-east-1'),
      AWS_CONFIG_FILE: configFile,
    };
    // check-template reads the files a page names: compliant templates (and plans) stand in for them.
    const template = JSON.stringify({
      Resources: {
        Logs: { Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: '/aws/clientvpn/vpn' } },
        Vpn: {
          Type: 'AWS::EC2::ClientVpnEndpoint',
          Properties: { ConnectionLogOptions: { Enabled: true, CloudwatchLogGroup: { Ref: 'Logs' } } },
        },
      },
    });
    for (const args of argvs.filter((a) => a[0] === 'check-template')) {
      for (const path of args.slice(1).filter((word) => !word.startsWith('-'))) {
        const target = /\.(json|ya?ml|template)$/.test(path)
          ? join(workDir, path)
          : join(workDir, path, 'Stack.template.json');
        mkdirSync(dirname(target), { recursive: true });
        writeFileSync(target, TERRAFORM_PLAN_FILE.test(path) ? TERRAFORM_PLAN : template);
      }
    }
  });

  afterAll(async () => {
    await server?.close();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it('finds the audit, check-template and demo commands the pages show', () => {
    expect(CLI_COMMANDS.map(({ args }) => args[0])).toEqual(
      expect.arrayContaining(['audit', 'check-template', 'demo']),
    );
  });

  it.each(CLI_COMMANDS)('runs "$title" to a verdict', async ({ args }) => {
    // Act: as written; `--remediate` confirms as a person at a terminal would.
    const confirmed = args.includes('--remediate') && !args.includes('--yes') ? [...args, '--yes'] : args;
    // Asynchronously: the loopback server answers from this very process.
    const run = await runBin(confirmed, workDir, env);
    // Assess
    const outcome = { verdict: run.status === 0 || run.status === 1, status: run.status, stderr: run.stderr };
    expect(outcome).toMatchObject({ verdict: true });
    if (args.includes('json') && !args.includes('--output-file'))
      expect(() => JSON.parse(run.stdout)).not.toThrow();
  });
});
