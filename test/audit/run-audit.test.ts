import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { runCommand, type CommandRun, type Terminals } from '../cli/in-process-run';
import { startLoopbackServer, type LoopbackServer } from '../../sandbox/aws-loopback-server';
import { botocoreRequestProblems } from './botocore-request-validator';
import { useLoopbackEnvironment } from '../../sandbox/loopback-environment';
import {
  endpointIdOf,
  LOOPBACK_ACCOUNT_ID,
  loopbackWorld,
  worldRegion,
  type LoopbackWorld,
} from '../../sandbox/loopback-world';

// As remediation/EnableClientVpnConnectionLogging.yaml declares it: no default for these two.
const RUNBOOK = {
  name: 'EnableClientVpnConnectionLogging',
  requiredParameters: ['ClientVpnEndpointId', 'AutomationAssumeRole'],
};
const ROLE = 'arn:aws:iam::123456789012:role/ClientVpnLogging-AutomationRole-1A2B3C4D5E6F';
const KEPT = '/aws/clientvpn/kept';
const KEY = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const SHORT = '/aws/clientvpn/short';

const ON_KEPT = endpointIdOf(0xa1);
const OFF = endpointIdOf(0xa2);
const GROUP_GONE = endpointIdOf(0xa3);
const DELETED = endpointIdOf(0xa4);
const ON_SHORT = endpointIdOf(0xa5);
const IRELAND = endpointIdOf(0xb1);

// us-east-1 holds one endpoint per outcome, eu-west-1 one compliant endpoint; ap-east-1 is not opted in.
function auditWorld(): LoopbackWorld {
  return loopbackWorld({
    'us-east-1': worldRegion({
      endpoints: [
        { endpointId: ON_KEPT, status: 'available', enabled: true, logGroup: KEPT },
        { endpointId: OFF, status: 'available', enabled: false },
        {
          endpointId: GROUP_GONE,
          status: 'available',
          enabled: true,
          logGroup: '/aws/clientvpn/deleted-group',
        },
        { endpointId: DELETED, status: 'deleted', enabled: false },
        { endpointId: ON_SHORT, status: 'pending-associate', enabled: true, logGroup: SHORT },
      ],
      logGroups: [
        { name: KEPT, retentionInDays: 365 },
        { name: SHORT, retentionInDays: 7 },
      ],
      documents: [RUNBOOK],
    }),
    'eu-west-1': worldRegion({
      endpoints: [{ endpointId: IRELAND, status: 'available', enabled: true, logGroup: KEPT }],
      logGroups: [{ name: KEPT }],
    }),
    'ap-east-1': worldRegion({ optInStatus: 'not-opted-in' }),
  });
}

type AuditRun = CommandRun;

const audit = (argv: string[], answer?: string, terminals: Terminals = {}): Promise<AuditRun> =>
  runCommand(['audit', ...argv], { ...(answer === undefined ? {} : { answer }), terminals });

// Every loopback run warns that AWS_ENDPOINT_URL is set; the rest of stderr is what a test looks at.
function stderrBeyondEndpointWarning(run: AuditRun): string {
  return run.stderr.replace(/^audit: warning: AWS_ENDPOINT_URL is set .*\n/m, '');
}

describe('the audit command, against the loopback AWS', () => {
  let server: LoopbackServer;
  let restore: () => void;

  beforeEach(async () => {
    server = await startLoopbackServer({ world: auditWorld() });
    restore = useLoopbackEnvironment(server.url, 'us-east-1');
  });

  afterEach(async () => {
    restore();
    await server.close();
  });

  it('prints a table of every endpoint of the configured region and exits 1 when any is NON_COMPLIANT', async () => {
    // Act
    const run = await audit([]);

    // Assess
    expect(run.code).toBe(1);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^REGION\s+ENDPOINT\s+VERDICT\s+REASON$/);
    expect(lines.slice(1).map((l) => l.split(/\s+/).slice(0, 3))).toEqual([
      ['us-east-1', ON_KEPT, 'COMPLIANT'],
      ['us-east-1', OFF, 'NON_COMPLIANT'],
      ['us-east-1', GROUP_GONE, 'NON_COMPLIANT'],
      ['us-east-1', DELETED, 'NOT_APPLICABLE'],
      ['us-east-1', ON_SHORT, 'COMPLIANT'],
    ]);
    expect(lines[3]).toContain('/aws/clientvpn/deleted-group');
    expect(stderrBeyondEndpointWarning(run)).toBe(
      'Summary: 5 endpoint(s): 2 COMPLIANT, 2 NON_COMPLIANT, 1 NOT_APPLICABLE; 1 region(s) scanned in 1 account(s), 0 without endpoints.\n',
    );
    expect(server.callsOf('DescribeLogGroups')).toHaveLength(1);
  });

  it('prints one JSON array of findings with account, log group, retention and key, and exits 0 when all comply', async () => {
    const run = await audit(['--regions', 'eu-west-1', '--output', 'json']);

    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual([
      {
        accountId: LOOPBACK_ACCOUNT_ID,
        region: 'eu-west-1',
        endpointId: IRELAND,
        compliance: 'COMPLIANT',
        logGroupName: KEPT,
        logGroupLookup: 'found',
        retentionInDays: null,
        kmsKeyId: null,
        annotation: null,
      },
    ]);
  });

  it('reports the retention and key of the log group it looked up', async () => {
    const us = server.world.regions['us-east-1'];
    us?.logGroups.splice(0, 1, { name: KEPT, retentionInDays: 365, kmsKeyId: KEY });

    const run = await audit(['--region', 'us-east-1', '--output', 'json']);

    const kept = (JSON.parse(run.stdout) as Record<string, unknown>[]).find((f) => f.endpointId === ON_KEPT);
    expect(kept).toMatchObject({
      logGroupName: KEPT,
      retentionInDays: 365,
      kmsKeyId: KEY,
      logGroupLookup: 'found',
    });
    const off = (JSON.parse(run.stdout) as Record<string, unknown>[]).find((f) => f.endpointId === OFF);
    expect(off).toMatchObject({ logGroupName: null, logGroupLookup: 'not-checked', retentionInDays: null });
  });

  it('judges by the rule parameters given as options', async () => {
    const run = await audit(['--min-retention-days', '30', '--output=json']);

    const verdicts = JSON.parse(run.stdout) as {
      endpointId: string;
      compliance: string;
      annotation: string;
    }[];
    const short = verdicts.find((v) => v.endpointId === ON_SHORT);
    expect(short?.compliance).toBe('NON_COMPLIANT');
    expect(short?.annotation).toMatch(/30/);
    expect(verdicts.find((v) => v.endpointId === ON_KEPT)?.compliance).toBe('COMPLIANT');
  });

  it('with --no-verify-log-group judges from the settings alone and never calls CloudWatch Logs', async () => {
    const run = await audit(['--no-verify-log-group', '--output', 'json']);

    const gone = (JSON.parse(run.stdout) as { endpointId: string; compliance: string }[]).find(
      (v) => v.endpointId === GROUP_GONE,
    );
    expect(gone?.compliance).toBe('COMPLIANT');
    expect(server.callsOf('DescribeLogGroups', true)).toHaveLength(0);
  });

  it('with --all-regions scans the enabled regions, without a progress bar when stderr is not a terminal', async () => {
    const run = await audit(['--all-regions', '--output', 'json']);

    const regions = (JSON.parse(run.stdout) as { region: string }[]).map((v) => v.region);
    expect(new Set(regions)).toEqual(new Set(['us-east-1', 'eu-west-1']));
    expect(stderrBeyondEndpointWarning(run)).toMatch(/^Summary: [^\n]*2 region\(s\) scanned[^\n]*\n$/);
    expect(server.callsOf('DescribeRegions')).toHaveLength(1);
    expect(run.code).toBe(1);
  });

  it('with --exclude-regions leaves those regions out', async () => {
    const run = await audit(['--all-regions', '--exclude-regions', 'us-east-1', '--output', 'json']);

    expect((JSON.parse(run.stdout) as { region: string }[]).map((v) => v.region)).toEqual(['eu-west-1']);
    expect(server.callsOf('DescribeClientVpnEndpoints').map((c) => c.region)).toEqual(['eu-west-1']);
    expect(run.code).toBe(0);
  });

  it('reports a denied region and a region not opted in for themselves while the others go on, and exits 2', async () => {
    const us = server.world.regions['us-east-1'];
    if (us)
      us.failures.ec2 = {
        code: 'UnauthorizedOperation',
        message: 'You are not authorized to perform this operation.',
        status: 403,
      };

    const run = await audit(['--regions', 'us-east-1,eu-west-1,ap-east-1', '--output', 'json']);

    expect(run.code).toBe(2);
    // A partial scan is one JSON document: the findings of the regions that answered, and the failures.
    expect(JSON.parse(run.stdout)).toEqual({
      complete: false,
      findings: [expect.objectContaining({ region: 'eu-west-1', endpointId: IRELAND })],
      failures: [
        expect.objectContaining({ region: 'us-east-1', kind: 'access-denied' }),
        expect.objectContaining({ region: 'ap-east-1', kind: 'region-disabled' }),
      ],
    });
    expect(run.stderr).toMatch(/us-east-1: access denied \(UnauthorizedOperation\)/);
    expect(run.stderr).toMatch(/ap-east-1: the region is not enabled for this account/);
    // Failed regions are listed apart, never counted as regions without endpoints.
    expect(run.stderr).toMatch(
      /1 region\(s\) scanned in 1 account\(s\), 0 without endpoints; 2 region\(s\) failed: us-east-1 \(access-denied\), ap-east-1 \(region-disabled\)\./,
    );
  });

  it('with --ignore-failed-regions, a denied or disabled region is still reported but does not make the exit status 2', async () => {
    const us = server.world.regions['us-east-1'];
    if (us)
      us.failures.ec2 = {
        code: 'UnauthorizedOperation',
        message:
          'You are not authorized to perform this operation with an explicit deny in a service control policy.',
        status: 403,
      };

    const run = await audit(['--regions', 'us-east-1,eu-west-1,ap-east-1', '--ignore-failed-regions']);

    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/us-east-1: access denied/);
    expect(run.stderr).toMatch(/2 region\(s\) failed/);
  });

  it('with --ignore-failed-regions still exits 2 when a region fails for another reason', async () => {
    const ireland = server.world.regions['eu-west-1'];
    if (ireland)
      ireland.failures.ec2 = {
        code: 'InternalError',
        message: 'An internal error has occurred',
        status: 500,
      };

    const run = await audit(['--regions', 'eu-west-1', '--ignore-failed-regions']);

    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/eu-west-1: InternalError/);
  });

  it('says once, plainly, that there are no credentials', async () => {
    restore();
    restore = useLoopbackEnvironment(server.url, 'us-east-1', {});
    delete process.env.AWS_ACCESS_KEY_ID;
    delete process.env.AWS_SECRET_ACCESS_KEY;

    const run = await audit(['--regions', 'us-east-1,eu-west-1']);

    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.match(/No AWS credentials found/g)).toHaveLength(1);
    expect(server.calls).toHaveLength(0);
  });

  it('exits 2 asking for a region when none is configured', async () => {
    delete process.env.AWS_REGION;
    delete process.env.AWS_DEFAULT_REGION;

    const run = await audit([]);

    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/No region configured: pass --region/);
    expect(server.calls).toHaveLength(0);
  });

  it('exits 2 when --all-regions cannot list the regions, naming the failure', async () => {
    const us = server.world.regions['us-east-1'];
    if (us)
      us.failures.ec2 = {
        code: 'UnauthorizedOperation',
        message: 'You are not authorized to perform this operation.',
        status: 403,
      };

    const run = await audit(['--all-regions']);

    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/could not list the account's regions from us-east-1: access denied/);
    expect(server.callsOf('DescribeClientVpnEndpoints', true)).toHaveLength(0);
  });

  it('scans at most --concurrency regions at once', async () => {
    const regions = ['us-east-2', 'us-west-1', 'us-west-2', 'eu-north-1', 'eu-central-1', 'sa-east-1'];
    for (const r of regions) server.world.regions[r] = worldRegion();
    server.latencyMs = 40;

    const run = await audit(['--regions', regions.join(','), '--concurrency', '2']);

    expect(run.code).toBe(0);
    expect(server.callsOf('DescribeClientVpnEndpoints')).toHaveLength(6);
    expect(server.peakInFlight).toBe(2);
  });

  it('rides out throttling of the listing', async () => {
    await server.close();
    server = await startLoopbackServer({ world: auditWorld(), throttle: { DescribeClientVpnEndpoints: 1 } });
    restore();
    restore = useLoopbackEnvironment(server.url, 'us-east-1');

    const run = await audit(['--output', 'json']);

    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toHaveLength(5);
    expect(server.callsOf('DescribeClientVpnEndpoints', true).map((c) => c.errorCode)).toEqual([
      'RequestLimitExceeded',
      undefined,
    ]);
  });

  describe('--remediate', () => {
    it('with --yes starts the runbook once for each NON_COMPLIANT endpoint', async () => {
      const run = await audit(['--remediate', '--yes', '--automation-assume-role', ROLE, '--output', 'json']);

      expect(run.code).toBe(1);
      expect(server.world.startedAutomations.map((a) => [a.region, a.documentName, a.parameters])).toEqual([
        ['us-east-1', RUNBOOK.name, { ClientVpnEndpointId: [OFF], AutomationAssumeRole: [ROLE] }],
        ['us-east-1', RUNBOOK.name, { ClientVpnEndpointId: [GROUP_GONE], AutomationAssumeRole: [ROLE] }],
      ]);
      expect(run.stderr).toMatch(/2 NON_COMPLIANT endpoint\(s\) to remediate/);
      expect(JSON.parse(run.stdout)).toHaveLength(5);
    });

    it('passes the runbook the prefix and retention the audit judged by, so remediation can satisfy them', async () => {
      const run = await audit([
        '--remediate',
        '--yes',
        '--automation-assume-role',
        ROLE,
        '--min-retention-days',
        '380',
        '--log-group-name-prefix',
        '/aws/',
        '--output',
        'json',
      ]);

      expect(run.code).toBe(1);
      expect(server.world.startedAutomations.length).toBeGreaterThan(0);
      for (const started of server.world.startedAutomations) {
        expect(started.parameters).toMatchObject({ LogGroupNamePrefix: ['/aws/'], RetentionInDays: ['400'] });
      }
    });

    it('passes --automation-assume-role and --document-name through', async () => {
      server.world.regions['us-east-1']?.documents.push({
        name: 'MyRunbook',
        requiredParameters: ['ClientVpnEndpointId', 'AutomationAssumeRole'],
      });
      const role = 'arn:aws:iam::123456789012:role/ClientVpnRemediation';

      await audit(['--remediate', '-y', '--document-name', 'MyRunbook', '--automation-assume-role', role]);

      expect(server.world.startedAutomations[0]).toMatchObject({
        documentName: 'MyRunbook',
        parameters: { AutomationAssumeRole: [role] },
      });
    });

    it('says once that the runbook is not deployed in a region, starts nothing there and exits 2', async () => {
      const ireland = server.world.regions['eu-west-1'];
      ireland?.endpoints.push({ endpointId: endpointIdOf(0xb2), status: 'available', enabled: false });
      ireland?.endpoints.push({ endpointId: endpointIdOf(0xb3), status: 'available', enabled: false });

      const run = await audit([
        '--regions',
        'eu-west-1',
        '--remediate',
        '--yes',
        '--automation-assume-role',
        ROLE,
      ]);

      expect(run.code).toBe(2);
      expect(
        run.stderr.match(/runbook EnableClientVpnConnectionLogging is not deployed in eu-west-1/g),
      ).toHaveLength(1);
      expect(server.callsOf('StartAutomationExecution', true)).toHaveLength(0);
    });

    it('says once that the runbook needs --automation-assume-role, starting nothing, and exits 2', async () => {
      const run = await audit(['--remediate', '--yes']);

      expect(run.code).toBe(2);
      expect(run.stderr.match(/needs AutomationAssumeRole: pass --automation-assume-role/g)).toHaveLength(1);
      expect(server.callsOf('StartAutomationExecution', true)).toHaveLength(0);
    });

    it('reports, per endpoint, a start SSM refused, and exits 2', async () => {
      const us = server.world.regions['us-east-1'];
      if (us) us.automationLimit = 1;

      const run = await audit(['--remediate', '--yes', '--automation-assume-role', ROLE]);

      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(new RegExp(`started [0-9a-f-]{36} for ${OFF} \\(us-east-1\\)`));
      expect(run.stderr).toContain(
        `could not start for ${GROUP_GONE} (us-east-1): AutomationExecutionLimitExceededException`,
      );
      expect(server.world.startedAutomations).toHaveLength(1);
    });

    it('asks first on a terminal, and starts nothing when the answer is no', async () => {
      const run = await audit(['--remediate', '--automation-assume-role', ROLE], 'n');

      expect(run.stderr).toMatch(
        /Start EnableClientVpnConnectionLogging for these 2 endpoint\(s\)\? \[y\/N\]/,
      );
      expect(run.stderr).toMatch(/Remediation cancelled/);
      expect(server.world.startedAutomations).toEqual([]);
      expect(run.code).toBe(1);
    });

    it('asks first on a terminal, and starts the runbook when the answer is yes', async () => {
      await audit(['--remediate', '--automation-assume-role', ROLE], 'yes');

      expect(server.world.startedAutomations).toHaveLength(2);
    });

    describe('over several regions', () => {
      // What the stacks create: the organization's `<name>-<region>`, and the account stack's generated names.
      const TEMPLATE = 'arn:aws:iam::123456789012:role/ClientVpnConnectionLoggingRemediation-{region}';
      const US_ROLE = 'arn:aws:iam::123456789012:role/ClientVpnLogging-AutomationRole-1A2B3C4D5E6F';
      const EU_ROLE = 'arn:aws:iam::123456789012:role/ClientVpnLogging-AutomationRole-9Z8Y7X6W5V4U';
      const IRELAND_OFF = endpointIdOf(0xb2);
      const IRELAND_GONE = endpointIdOf(0xb3);

      // eu-west-1 gets the runbook and two NON_COMPLIANT endpoints beside its compliant one.
      beforeEach(() => {
        const ireland = server.world.regions['eu-west-1'];
        ireland?.documents.push(RUNBOOK);
        ireland?.endpoints.push(
          { endpointId: IRELAND_OFF, status: 'available', enabled: false },
          { endpointId: IRELAND_GONE, status: 'available', enabled: true, logGroup: '/aws/clientvpn/gone' },
        );
      });

      function startsByRegion(): [string, readonly string[] | undefined, readonly string[] | undefined][] {
        return server
          .callsOf('StartAutomationExecution')
          .map((c) => {
            const parameters = c.params.Parameters as Record<string, string[]>;
            return [c.region, parameters.ClientVpnEndpointId, parameters.AutomationAssumeRole] as [
              string,
              readonly string[] | undefined,
              readonly string[] | undefined,
            ];
          })
          .sort(([a], [b]) => a.localeCompare(b));
      }

      it('passes each region its own role from a {region} template', async () => {
        const run = await audit([
          '--regions',
          'us-east-1,eu-west-1',
          '--remediate',
          '--yes',
          '--automation-assume-role',
          TEMPLATE,
          '--output',
          'json',
        ]);

        expect(run.code).toBe(1);
        const us = TEMPLATE.replace('{region}', 'us-east-1');
        const eu = TEMPLATE.replace('{region}', 'eu-west-1');
        expect(startsByRegion()).toEqual([
          ['eu-west-1', [IRELAND_OFF], [eu]],
          ['eu-west-1', [IRELAND_GONE], [eu]],
          ['us-east-1', [OFF], [us]],
          ['us-east-1', [GROUP_GONE], [us]],
        ]);
        // The started executions the world recorded agree: each ran as its own region's role.
        expect(server.world.startedAutomations.map((a) => a.parameters.AutomationAssumeRole)).toEqual(
          server.world.startedAutomations.map((a) => [TEMPLATE.replace('{region}', a.region)]),
        );
        expect(run.stderr.match(/started [0-9a-f-]{36} for /g)).toHaveLength(4);
      });

      it('passes each region the ARN of its region=ARN pair', async () => {
        const run = await audit([
          '--regions',
          'us-east-1,eu-west-1',
          '--remediate',
          '--yes',
          '--automation-assume-role',
          `eu-west-1=${EU_ROLE},us-east-1=${US_ROLE}`,
        ]);

        expect(run.code).toBe(1);
        expect(startsByRegion()).toEqual([
          ['eu-west-1', [IRELAND_OFF], [EU_ROLE]],
          ['eu-west-1', [IRELAND_GONE], [EU_ROLE]],
          ['us-east-1', [OFF], [US_ROLE]],
          ['us-east-1', [GROUP_GONE], [US_ROLE]],
        ]);
      });

      it('with --all-regions, passes each enabled region its own role', async () => {
        const run = await audit([
          '--all-regions',
          '--remediate',
          '--yes',
          '--automation-assume-role',
          TEMPLATE,
        ]);

        expect(run.code).toBe(1);
        expect(startsByRegion().map(([region, , role]) => [region, role])).toEqual([
          ['eu-west-1', [TEMPLATE.replace('{region}', 'eu-west-1')]],
          ['eu-west-1', [TEMPLATE.replace('{region}', 'eu-west-1')]],
          ['us-east-1', [TEMPLATE.replace('{region}', 'us-east-1')]],
          ['us-east-1', [TEMPLATE.replace('{region}', 'us-east-1')]],
        ]);
      });

      it.each([[['--regions', 'us-east-1,eu-west-1']], [['--all-regions']]])(
        'with %j, refuses one plain ARN before calling AWS and exits 2',
        async (regions) => {
          const run = await audit([...regions, '--remediate', '--yes', '--automation-assume-role', US_ROLE]);

          expect(run.code).toBe(2);
          expect(run.stderr).toMatch(
            /^audit: --automation-assume-role: the one role .* cannot serve .*\{region\}.*region=ARN/,
          );
          expect(run.stdout).toBe('');
          expect(server.calls.filter((c) => c.service !== 'sts')).toHaveLength(0);
        },
      );

      it('says once that a region without a role needs one, and remediates the region that has one', async () => {
        const run = await audit([
          '--regions',
          'us-east-1,eu-west-1',
          '--remediate',
          '--yes',
          '--automation-assume-role',
          `us-east-1=${US_ROLE}`,
        ]);

        expect(run.code).toBe(2);
        expect(
          run.stderr.match(
            /runbook EnableClientVpnConnectionLogging in eu-west-1 needs AutomationAssumeRole: pass --automation-assume-role .* as eu-west-1=ARN/g,
          ),
        ).toHaveLength(1);
        expect(run.stderr).not.toMatch(/us-east-1 needs AutomationAssumeRole/);
        expect(startsByRegion()).toEqual([
          ['us-east-1', [OFF], [US_ROLE]],
          ['us-east-1', [GROUP_GONE], [US_ROLE]],
        ]);
      });

      it('refuses a pair for a region the configured region leaves unscanned, before calling AWS', async () => {
        const run = await audit([
          '--remediate',
          '--yes',
          '--automation-assume-role',
          `us-east-1=${US_ROLE},eu-west-1=${EU_ROLE}`,
        ]);

        expect(run.code).toBe(2);
        expect(run.stderr).toMatch(
          /a role is given for eu-west-1, which is not scanned \(scanning us-east-1\)/,
        );
        expect(server.calls.map((c) => c.operation)).toEqual(['GetCallerIdentity']);
      });

      it('with --all-regions, refuses a pair for a region not enabled, before scanning any region', async () => {
        const run = await audit([
          '--all-regions',
          '--remediate',
          '--yes',
          '--automation-assume-role',
          `us-east-1=${US_ROLE},ap-east-1=${EU_ROLE}`,
        ]);

        expect(run.code).toBe(2);
        expect(run.stderr).toMatch(/a role is given for ap-east-1, which is not scanned/);
        expect(server.calls.map((c) => c.operation)).toEqual(['GetCallerIdentity', 'DescribeRegions']);
      });
    });

    it('refuses without --yes when stdin is not a terminal, before calling AWS', async () => {
      const run = await audit(['--remediate']);

      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/stdin is not a terminal.*--yes/);
      expect(server.calls).toHaveLength(0);
    });
  });

  it('exits 2 naming a bad option, before calling AWS', async () => {
    const run = await audit(['--min-retention-days', 'forever']);

    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^audit: --min-retention-days: /);
    expect(server.calls).toHaveLength(0);
  });

  it('exits 2 on an unknown option, suggesting the one meant, before calling AWS', async () => {
    const run = await audit(['--outptu', 'json']);

    expect(run.code).toBe(2);
    expect(run.stderr).toBe("error: unknown option '--outptu'\n(Did you mean --output?)\n");
    expect(run.stdout).toBe('');
    expect(server.calls).toHaveLength(0);
  });

  it('prints its usage with --help on stdout and exits 0', async () => {
    const run = await audit(['--help']);

    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Usage: client-vpn-logging audit \[options\]/);
    for (const option of [
      '--document-name',
      '--profile',
      '--organization',
      '--exclude-regions',
      '--output-file',
      '--status',
    ]) {
      expect(run.stdout).toContain(option);
    }
    expect(run.stdout).toContain('r1=ARN1,r2=ARN2');
    expect(run.stdout).toContain('ClientVpnConnectionLoggingRemediation-{region}');
    expect(run.stderr).toBe('');
  });

  describe('output', () => {
    const LONG_GROUP = `/aws/clientvpn/${'very-long-name-'.repeat(6)}`;

    it('with --status prints only the findings of those verdicts, and exits as all findings say', async () => {
      const run = await audit(['--status', 'NON_COMPLIANT', '--output', 'json']);

      expect(run.code).toBe(1);
      expect((JSON.parse(run.stdout) as { endpointId: string }[]).map((f) => f.endpointId)).toEqual([
        OFF,
        GROUP_GONE,
      ]);
      expect(run.stderr).toMatch(/Summary: 5 endpoint\(s\): 2 COMPLIANT, 2 NON_COMPLIANT, 1 NOT_APPLICABLE/);
    });

    it('with --output-file writes the findings to the file and nothing to stdout', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'audit-output-'));
      const file = join(dir, 'findings.asff.json');
      try {
        const run = await audit(['--output', 'asff', '--output-file', file]);

        expect(run.stdout).toBe('');
        const findings = JSON.parse(readFileSync(file, 'utf8')) as { AwsAccountId: string; Id: string }[];
        expect(findings).toHaveLength(5);
        expect(findings.every((f) => f.AwsAccountId === LOOPBACK_ACCOUNT_ID)).toBe(true);
        expect(botocoreRequestProblems('securityhub', 'BatchImportFindings', { Findings: findings })).toEqual(
          [],
        );
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('with an --output-file it cannot write, says so naming the path and exits 2', async () => {
      const file = join(tmpdir(), 'no-such-directory-for-audit', 'findings.json');

      const run = await audit(['--output', 'json', '--output-file', file]);

      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`audit: --output-file: could not write ${file}: Error: ENOENT`);
      expect(run.stdout).toBe('');
    });

    it('fits the table to the terminal and colours the verdicts there', async () => {
      server.world.regions['us-east-1']?.endpoints.push({
        endpointId: endpointIdOf(0xa6),
        status: 'available',
        enabled: true,
        logGroup: LONG_GROUP,
      });

      const run = await audit([], undefined, { stdoutColumns: 90 });

      expect(run.stdout).toContain('\u001b[31mNON_COMPLIANT');
      // eslint-disable-next-line no-control-regex
      const plain = run.stdout.replace(/\u001b\[\d+m/g, '');
      for (const line of plain.trimEnd().split('\n')) expect([...line].length).toBeLessThanOrEqual(90);
      expect(plain).toContain('…');
    });

    it.each([
      ['--no-color', ['--no-color'], {}],
      ['NO_COLOR', [], { NO_COLOR: '1' }],
    ])('never colours with %s', async (_case, argv, env) => {
      const restoreColor = useLoopbackEnvironment(server.url, 'us-east-1', env);
      try {
        const run = await audit(argv, undefined, { stdoutColumns: 200 });

        expect(run.stdout).toMatch(/NON_COMPLIANT/);
        expect(run.stdout).not.toContain('\u001b[');
      } finally {
        restoreColor();
      }
    });

    it('strips control characters from what AWS sent before it reaches the terminal', async () => {
      server.world.regions['us-east-1']?.endpoints.push({
        endpointId: endpointIdOf(0xa7),
        status: 'available',
        enabled: true,
        logGroup: '/aws/clientvpn/\u001b]0;owned\u0007\u001b[2J',
      });

      const run = await audit([], undefined, { stdoutColumns: 300 });

      // eslint-disable-next-line no-control-regex
      const withoutColour = run.stdout.replace(/\u001b\[\d+m/g, '');
      // eslint-disable-next-line no-control-regex
      expect(withoutColour).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    });

    it('warns on stderr that AWS_ENDPOINT_URL sends the calls elsewhere', async () => {
      const run = await audit(['--output', 'json']);

      expect(run.stderr).toContain(`audit: warning: AWS_ENDPOINT_URL is set (${server.url}): calls go there`);
      expect(() => JSON.parse(run.stdout) as unknown).not.toThrow();
    });

    it('draws a progress bar on stderr when stderr is a terminal, and clears it', async () => {
      const run = await audit(['--regions', 'us-east-1,eu-west-1', '--output', 'json'], undefined, {
        stderrIsTerminal: true,
      });

      expect(run.stderr).toMatch(/scanning .* regions \(0 failed\) \| accounts \d\/1/);
      expect(JSON.parse(run.stdout)).toHaveLength(6);
    });
  });

  describe('AWS CLI habits', () => {
    let dir: string;

    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'audit-profile-'));
      writeFileSync(
        join(dir, 'config'),
        '[default]\nregion = us-east-1\n\n[profile ireland]\nregion = eu-west-1\n',
      );
      writeFileSync(
        join(dir, 'credentials'),
        '[ireland]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n',
      );
    });

    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    function withFiles(env: Record<string, string>, unset: string[] = [], profile = false): () => void {
      const restoreFiles = useLoopbackEnvironment(server.url, 'us-east-1', {
        AWS_CONFIG_FILE: join(dir, 'config'),
        AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
        ...env,
      });
      // The loopback environment unsets AWS_PROFILE; a case that sets it sets it again (restored with the rest).
      Object.assign(process.env, env);
      // A profile brings its own credentials: with the loopback's key pair also set, the SDK warns that
      // both are (and takes the profile), so a case that names a profile unsets the pair.
      if (profile) unset = [...unset, 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'];
      const saved = unset.map((name) => [name, process.env[name]] as const);
      for (const name of unset) delete process.env[name];
      return () => {
        for (const [name, value] of saved) if (value !== undefined) process.env[name] = value;
        restoreFiles();
      };
    }

    it.each([
      ['--profile', ['--profile', 'ireland'], {}, 'eu-west-1'],
      ['AWS_PROFILE', [], { AWS_PROFILE: 'ireland' }, 'eu-west-1'],
      [
        'AWS_DEFAULT_REGION over the profile',
        ['--profile', 'ireland'],
        { AWS_DEFAULT_REGION: 'us-east-1' },
        'us-east-1',
      ],
      [
        '--region over everything',
        ['--profile', 'ireland', '--region', 'us-east-1'],
        { AWS_DEFAULT_REGION: 'eu-west-1' },
        'us-east-1',
      ],
    ])('takes the region as the AWS CLI does: %s', async (_case, argv, env, region) => {
      const unset = 'AWS_DEFAULT_REGION' in env ? ['AWS_REGION'] : ['AWS_REGION', 'AWS_DEFAULT_REGION'];
      const restoreFiles = withFiles(
        env,
        unset,
        (argv as string[]).includes('--profile') || 'AWS_PROFILE' in env,
      );
      try {
        const run = await audit([...argv, '--output', 'json']);

        expect(server.callsOf('DescribeClientVpnEndpoints').map((c) => c.region)).toEqual([region]);
        expect(run.code).not.toBe(2);
      } finally {
        restoreFiles();
      }
    });

    it('takes AWS_REGION over AWS_DEFAULT_REGION', async () => {
      const restoreFiles = withFiles({ AWS_REGION: 'eu-west-1', AWS_DEFAULT_REGION: 'us-east-1' });
      try {
        await audit(['--output', 'json']);

        expect(server.callsOf('DescribeClientVpnEndpoints').map((c) => c.region)).toEqual(['eu-west-1']);
      } finally {
        restoreFiles();
      }
    });

    it.each([
      ['AWS_PROFILE', [], { AWS_PROFILE: 'nope' }, 'named by AWS_PROFILE'],
      ['--profile', ['--profile', 'nope'], {}, 'named by --profile'],
    ])(
      'names an unknown profile given by %s as such, before calling AWS',
      async (_case, argv, env, source) => {
        const restoreFiles = withFiles(env, [], true);
        try {
          const run = await audit(argv);

          expect(run.code).toBe(2);
          expect(run.stderr).toContain(`audit: The config profile (nope) could not be found (${source}`);
          expect(server.calls).toHaveLength(0);
        } finally {
          restoreFiles();
        }
      },
    );
  });
});

describe('the audit command, judging keys and delivery as the rule does', () => {
  let server: LoopbackServer;
  let restore: () => void;
  const KEY_ID = '1a1a1a1a-0000-4000-8000-0000000000aa';
  const QUIET = endpointIdOf(0xc1);
  const SILENT = endpointIdOf(0xc2);
  const hoursAgo = (hours: number): string =>
    new Date(Date.now() - hours * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');

  beforeEach(async () => {
    server = await startLoopbackServer({
      world: loopbackWorld({
        'us-east-1': worldRegion({
          endpoints: [
            { endpointId: QUIET, status: 'available', enabled: true, logGroup: KEPT },
            {
              endpointId: SILENT,
              status: 'available',
              enabled: true,
              logGroup: SHORT,
              connections: [
                { connectionId: 'cvpn-connection-0000000000000000a', establishedTime: hoursAgo(3) },
              ],
            },
          ],
          logGroups: [
            { name: KEPT, kmsKeyId: `arn:aws:kms:us-east-1:123456789012:key/${KEY_ID}` },
            {
              name: SHORT,
              streams: [{ name: 'log_stream_created_by_aws_to_validate_log_delivery_subscriptions' }],
            },
          ],
          keys: [{ keyId: KEY_ID, keyState: 'Disabled' }],
        }),
      }),
    });
    restore = useLoopbackEnvironment(server.url, 'us-east-1');
  });

  afterEach(async () => {
    restore();
    await server.close();
  });

  const verdictsOf = (run: AuditRun): Record<string, [string, string | null]> =>
    Object.fromEntries(
      (JSON.parse(run.stdout) as { endpointId: string; compliance: string; annotation: string | null }[]).map(
        (f) => [f.endpointId, [f.compliance, f.annotation]],
      ),
    );

  it('marks an endpoint whose key is disabled NON_COMPLIANT by default, and not with --no-verify-kms-key-state', async () => {
    // Act
    const checked = await audit(['--output', 'json']);
    const unchecked = await audit(['--output', 'json', '--no-verify-kms-key-state']);

    // Assess
    expect(verdictsOf(checked)[QUIET]?.[0]).toBe('NON_COMPLIANT');
    expect(verdictsOf(checked)[QUIET]?.[1]).toContain('which is Disabled');
    expect(verdictsOf(unchecked)[QUIET]?.[0]).toBe('COMPLIANT');
  });

  it('marks an endpoint whose group ingested nothing since a connection NON_COMPLIANT with --verify-delivery', async () => {
    // Act
    const run = await audit(['--output', 'json', '--verify-delivery', '--delivery-grace-minutes', '90']);
    const lenient = await audit(['--output', 'json', '--verify-delivery', '--delivery-grace-minutes', '240']);

    // Assess
    expect(verdictsOf(run)[SILENT]).toEqual([
      'NON_COMPLIANT',
      expect.stringContaining('(never; verifyDelivery)'),
    ]);
    expect(verdictsOf(lenient)[SILENT]?.[0]).toBe('COMPLIANT');
    // One listing per run for the silent endpoint; none for the one whose disabled key already fails it.
    expect(server.callsOf('DescribeClientVpnConnections')).toHaveLength(2);
    expect(
      new Set(server.callsOf('DescribeClientVpnConnections').map((c) => c.params.ClientVpnEndpointId)),
    ).toEqual(new Set([SILENT]));
  });
});

describe('the audit command, when a region gets stuck or the run stops', () => {
  let server: LoopbackServer;
  let restore: () => void;
  let dir: string;

  beforeEach(async () => {
    server = await startLoopbackServer({
      world: auditWorld(),
      hang: [{ operation: 'DescribeLogGroups', region: 'eu-west-1' }],
    });
    restore = useLoopbackEnvironment(server.url, 'us-east-1');
    dir = mkdtempSync(join(tmpdir(), 'audit-stopped-'));
  });

  afterEach(async () => {
    restore();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports a region whose calls never end as failed once --timeout passes, writes the others, and exits 2', async () => {
    // Act
    const run = await audit(['--regions', 'us-east-1,eu-west-1', '--timeout', '1']);

    // Assess
    expect(run.code).toBe(2);
    expect(run.stdout).toContain(ON_KEPT);
    expect(run.stdout).not.toContain(IRELAND);
    expect(run.stderr).toMatch(
      /audit: eu-west-1: timed out \(ScanDeadlineError\): no complete answer within the deadline of 1 s/,
    );
    expect(server.calls.some((c) => c.hung === true && c.region === 'eu-west-1')).toBe(true);
  });

  it('leaves a valid JSON document naming the reason in --output-file when the run stops before scanning', async () => {
    // Prepare
    delete process.env.AWS_ACCESS_KEY_ID;
    delete process.env.AWS_SECRET_ACCESS_KEY;
    const file = join(dir, 'findings.json');

    // Act
    const run = await audit(['--output', 'json', '--output-file', file]);

    // Assess
    expect(run.code).toBe(2);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({
      complete: false,
      findings: [],
      failures: [{ kind: 'stopped', reason: expect.stringMatching(/^No AWS credentials found/) }],
    });
  });

  it.each([['csv'], ['asff'], ['table']])(
    'removes an earlier --output-file and says it was not written when a run with --output %s stops before scanning',
    async (format) => {
      // Prepare: a report of an earlier run, all COMPLIANT
      delete process.env.AWS_ACCESS_KEY_ID;
      delete process.env.AWS_SECRET_ACCESS_KEY;
      const file = join(dir, `findings.${format}`);
      writeFileSync(
        file,
        'accountId,region,endpointId,compliance\n111122223333,us-east-1,cvpn-endpoint-1,COMPLIANT\n',
      );

      // Act
      const run = await audit(['--output', format, '--output-file', file]);

      // Assess
      expect(run.code).toBe(2);
      expect(existsSync(file)).toBe(false);
      expect(run.stderr).toContain(`audit: --output-file: ${file} was not written`);
    },
  );

  it('writes the same JSON document on stdout when there is no --output-file', async () => {
    const run = await audit(['--output', 'json', '--profile', 'nope']);

    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout)).toMatchObject({
      complete: false,
      findings: [],
      failures: [{ kind: 'stopped' }],
    });
  });

  it.each([
    [
      ['--region', 'eu-wset-1'],
      {},
      /--region: "eu-wset-1" is not a known region \(did you mean eu-west-1\?\)/,
    ],
    [
      [],
      { AWS_REGION: 'eu-wset-1' },
      /the configured region "eu-wset-1" is not a known region \(did you mean eu-west-1\?\)/,
    ],
  ])('refuses the region typo of %j %j before any call', async (argv, env, message) => {
    Object.assign(process.env, env);

    const run = await audit(argv);

    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(server.calls).toHaveLength(0);
  });

  it('warns of a region newer than the SDK\u2019s list, and scans it', async () => {
    const run = await audit(['--regions', 'us-east-1,eu-west-9', '--output', 'json']);

    expect(run.stderr).toContain(
      "audit: warning: --regions: eu-west-9 is not in the installed SDK's list of regions",
    );
    expect(server.calls.some((c) => c.region === 'eu-west-9')).toBe(true);
  });
});
