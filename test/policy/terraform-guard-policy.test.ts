import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { cfnGuardBinaryPath } from '../../policy/cfn-guard-binary';

// The committed Guard policy for Terraform plans, run by the real cfn-guard 3 binary on plans in Terraform's
// documented JSON format. JSON output: cfn-guard 3.1.1's default summary report panics (exit 101) on some
// plans whose checks cannot resolve a value, so docs/terraform.md runs it with --output-format json too.
const POLICY = path.join(__dirname, '..', '..', 'policy', 'client-vpn-connection-logging.terraform.guard');
const FIXTURES = path.join(__dirname, '..', 'fixtures', 'terraform');
const GUARD_FAIL = 19;

interface GuardOutcome {
  readonly status: number | null;
  /** `RULE address` for each endpoint a rule failed on. */
  readonly failures: string[];
}

function addressesIn(node: unknown, changes: readonly { address: string }[], found: Set<string>): void {
  if (Array.isArray(node)) return node.forEach((item) => addressesIn(item, changes, found));
  if (node === null || typeof node !== 'object') return;
  for (const [key, value] of Object.entries(node)) {
    if (
      (key === 'from' || key === 'traversed_to') &&
      value &&
      typeof (value as { path?: unknown }).path === 'string'
    ) {
      const match = /^\/resource_changes\/(\d+)/.exec((value as { path: string }).path);
      if (match) found.add(changes[Number(match[1])].address);
    }
    addressesIn(value, changes, found);
  }
}

function runGuard(planFile: string): GuardOutcome {
  const guard = spawnSync(
    cfnGuardBinaryPath(),
    [
      'validate',
      '--rules',
      POLICY,
      '--data',
      planFile,
      '--output-format',
      'json',
      '--show-summary',
      'none',
      '--structured',
    ],
    { encoding: 'utf8' },
  );
  const plan = JSON.parse(readFileSync(planFile, 'utf8')) as { resource_changes?: { address: string }[] };
  const results = JSON.parse(guard.stdout) as {
    not_compliant?: { Rule?: { name: string; checks: unknown } }[];
  }[];
  const failures = results.flatMap((result) =>
    (result.not_compliant ?? []).flatMap((failed) => {
      const addresses = new Set<string>();
      addressesIn(failed.Rule?.checks, plan.resource_changes ?? [], addresses);
      return [...addresses].map((address) => `${failed.Rule?.name} ${address}`);
    }),
  );
  return { status: guard.status, failures: failures.sort() };
}

describe('policy/client-vpn-connection-logging.terraform.guard on the real cfn-guard', () => {
  let scratch: string;
  beforeAll(() => {
    scratch = mkdtempSync(path.join(tmpdir(), 'terraform-guard-'));
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it.each([
    ['provider-5-root-compliant.json', []],
    ['provider-6-root-compliant.json', []],
    ['provider-5-log-group-outside-plan.json', []],
    ['provider-6-unknown-log-group-name.json', []],
    ['provider-6-deletes-only-endpoint.json', []],
    ['provider-6-deletions.json', []],
    [
      'provider-5-root-failing.json',
      ['TF_CLIENT_VPN_CONNECTION_LOGGING_ENABLED aws_ec2_client_vpn_endpoint.lab'],
    ],
    [
      'provider-6-child-modules.json',
      [
        'TF_CLIENT_VPN_CONNECTION_LOGGING_ENABLED module.network.module.vpn["eu"].aws_ec2_client_vpn_endpoint.this',
      ],
    ],
    [
      'provider-5-unknown-enabled.json',
      ['TF_CLIENT_VPN_CONNECTION_LOGGING_ENABLED aws_ec2_client_vpn_endpoint.corp'],
    ],
  ])('judges %s: %j', (name, expected) => {
    // Act
    const outcome = runGuard(path.join(FIXTURES, name));
    // Assess
    expect(outcome).toEqual({ status: expected.length > 0 ? GUARD_FAIL : 0, failures: expected });
  });

  it.each([
    [
      'an empty group name',
      { enabled: true, cloudwatch_log_group: '' },
      {},
      'TF_CLIENT_VPN_CONNECTION_LOG_GROUP_NAMED',
    ],
    ['no group name', { enabled: true }, {}, 'TF_CLIENT_VPN_CONNECTION_LOG_GROUP_NAMED'],
    [
      'a group ARN',
      { enabled: true, cloudwatch_log_group: 'arn:aws:logs:eu-west-1:111122223333:log-group:/vpn' },
      {},
      'TF_CLIENT_VPN_CONNECTION_LOG_GROUP_NOT_ARN',
    ],
    [
      'enabled unknown until apply',
      { cloudwatch_log_group: '/vpn' },
      { enabled: true },
      'TF_CLIENT_VPN_CONNECTION_LOGGING_ENABLED',
    ],
  ])('fails an endpoint in a nested module with %s', (_, log, unknown, rule) => {
    // Prepare
    const address = 'module.a.module.b[1].aws_ec2_client_vpn_endpoint.vpn';
    const file = path.join(scratch, `${rule}-${Object.keys(log).length}.json`);
    writeFileSync(
      file,
      JSON.stringify({
        format_version: '1.2',
        planned_values: { root_module: {} },
        resource_changes: [
          {
            address,
            module_address: 'module.a.module.b[1]',
            mode: 'managed',
            type: 'aws_ec2_client_vpn_endpoint',
            name: 'vpn',
            index: 1,
            change: {
              actions: ['create'],
              before: null,
              after: { connection_log_options: [log] },
              after_unknown: { connection_log_options: [unknown] },
            },
          },
        ],
      }),
    );
    // Act
    const outcome = runGuard(file);
    // Assess
    expect(outcome).toEqual({ status: GUARD_FAIL, failures: [`${rule} ${address}`] });
  });
});
