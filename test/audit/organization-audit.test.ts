import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { runCommand, type CommandRun } from '../cli/in-process-run';
import { startLoopbackServer, type LoopbackServer } from '../../sandbox/aws-loopback-server';
import { useLoopbackEnvironment } from '../../sandbox/loopback-environment';
import {
  accountIdOf,
  endpointIdOf,
  LOOPBACK_ACCOUNT_ID,
  loopbackWorld,
  withOrganization,
  worldRegion,
  type LoopbackWorld,
} from '../../sandbox/loopback-world';

const ROLE = 'ClientVpnAudit';
const MEMBER = accountIdOf(1);
const NO_ROLE = accountIdOf(2);
const SCP_DENIED = accountIdOf(3);
const SUSPENDED = accountIdOf(4);
const NESTED = accountIdOf(5);
const PARENT_OU = 'ou-ab12-parent12';
const NESTED_OU = 'ou-ab12-nested12';

const MANAGEMENT_ENDPOINT = endpointIdOf(0x10);
const MEMBER_OFF = endpointIdOf(0x11);
const MEMBER_ON = endpointIdOf(0x12);
const SCP_ENDPOINT = endpointIdOf(0x13);
const NESTED_ENDPOINT = endpointIdOf(0x14);
const GROUP = '/aws/clientvpn/connections';

// The management account (the caller) has no audit role; one member lacks it too, one has eu-west-1
// denied by an SCP, one is suspended, and one sits in an OU nested in another.
function organizationWorld(): LoopbackWorld {
  const world = loopbackWorld({
    'us-east-1': worldRegion({
      endpoints: [{ endpointId: MANAGEMENT_ENDPOINT, status: 'available', enabled: true, logGroup: GROUP }],
      logGroups: [{ name: GROUP, retentionInDays: 365 }],
    }),
    'eu-west-1': worldRegion(),
  });
  const denied = {
    code: 'UnauthorizedOperation',
    message:
      'You are not authorized to perform this operation with an explicit deny in a service control policy.',
    status: 403,
  };
  return withOrganization(
    world,
    [
      {
        id: MEMBER,
        roles: [ROLE],
        regions: {
          'us-east-1': worldRegion({
            endpoints: [{ endpointId: MEMBER_OFF, status: 'available', enabled: false }],
          }),
          'eu-west-1': worldRegion({
            endpoints: [{ endpointId: MEMBER_ON, status: 'available', enabled: true, logGroup: GROUP }],
            logGroups: [{ name: GROUP }],
          }),
        },
      },
      {
        id: NO_ROLE,
        roles: ['SomethingElse'],
        regions: { 'us-east-1': worldRegion(), 'eu-west-1': worldRegion() },
      },
      {
        id: SCP_DENIED,
        roles: [ROLE],
        regions: {
          'us-east-1': worldRegion({
            endpoints: [{ endpointId: SCP_ENDPOINT, status: 'available', enabled: true, logGroup: GROUP }],
            logGroups: [{ name: GROUP }],
          }),
          'eu-west-1': worldRegion({ failures: { ec2: denied } }),
        },
      },
      { id: SUSPENDED, state: 'SUSPENDED', roles: [ROLE], regions: { 'us-east-1': worldRegion() } },
      {
        id: NESTED,
        parentId: NESTED_OU,
        roles: [ROLE],
        regions: {
          'us-east-1': worldRegion({
            endpoints: [{ endpointId: NESTED_ENDPOINT, status: 'available', enabled: false }],
          }),
          'eu-west-1': worldRegion(),
        },
      },
    ],
    [],
    [
      { id: PARENT_OU, name: 'workloads', parentId: 'r-a1b2' },
      { id: NESTED_OU, name: 'prod', parentId: PARENT_OU },
    ],
  );
}

const audit = (argv: string[]): Promise<CommandRun> => runCommand(['audit', ...argv]);

interface Finding {
  readonly accountId: string;
  readonly region: string;
  readonly endpointId: string;
  readonly compliance: string;
}

describe('audit --organization, against a loopback organization', () => {
  let server: LoopbackServer;
  let restore: () => void;
  const ORG = ['--organization', '--role-name', ROLE, '--regions', 'us-east-1,eu-west-1'];

  beforeEach(async () => {
    server = await startLoopbackServer({ world: organizationWorld() });
    restore = useLoopbackEnvironment(server.url, 'us-east-1');
  });

  afterEach(async () => {
    restore();
    await server.close();
  });

  it('scans every ACTIVE account in every region with its own role, reporting a failed account while the others go on', async () => {
    // Act
    const run = await audit([...ORG, '--output', 'json']);

    // Assess
    expect(run.code).toBe(2);
    const { findings, failures } = JSON.parse(run.stdout) as {
      findings: Finding[];
      failures: { accountId: string; region?: string; kind: string }[];
    };
    expect(failures.map((f) => [f.accountId, f.region, f.kind])).toEqual([
      [NO_ROLE, undefined, 'account'],
      [SCP_DENIED, 'eu-west-1', 'access-denied'],
    ]);
    expect(findings.map((f) => [f.accountId, f.region, f.endpointId, f.compliance])).toEqual([
      [LOOPBACK_ACCOUNT_ID, 'us-east-1', MANAGEMENT_ENDPOINT, 'COMPLIANT'],
      [MEMBER, 'us-east-1', MEMBER_OFF, 'NON_COMPLIANT'],
      [MEMBER, 'eu-west-1', MEMBER_ON, 'COMPLIANT'],
      [SCP_DENIED, 'us-east-1', SCP_ENDPOINT, 'COMPLIANT'],
      [NESTED, 'us-east-1', NESTED_ENDPOINT, 'NON_COMPLIANT'],
    ]);
    expect(run.stderr).toContain(
      `audit: account ${NO_ROLE}: could not assume arn:aws:iam::${NO_ROLE}:role/${ROLE}: AccessDenied`,
    );
    expect(run.stderr).toContain(`audit: ${SCP_DENIED}/eu-west-1: access denied (UnauthorizedOperation)`);
    expect(run.stderr).toMatch(
      new RegExp(
        `Summary: 5 endpoint\\(s\\): 3 COMPLIANT, 2 NON_COMPLIANT, 0 NOT_APPLICABLE; 7 region\\(s\\) scanned in 4 account\\(s\\), 2 without endpoints; 1 region\\(s\\) failed: ${SCP_DENIED}/eu-west-1 \\(access-denied\\); 1 account\\(s\\) failed: ${NO_ROLE}\\.`,
      ),
    );
  });

  it('assumes each role once per account, and calls each account\u2019s regions with that account\u2019s credentials', async () => {
    await audit([...ORG, '--output', 'json']);

    const assumed = server.callsOf('AssumeRole', true).map((c) => c.params.RoleArn as string);
    expect(assumed.sort()).toEqual(
      [LOOPBACK_ACCOUNT_ID, MEMBER, NO_ROLE, SCP_DENIED, NESTED]
        .map((id) => `arn:aws:iam::${id}:role/${ROLE}`)
        .sort(),
    );
    expect(assumed.some((arn) => arn.includes(SUSPENDED))).toBe(false);
    const listings = server.callsOf('DescribeClientVpnEndpoints', true);
    expect(listings.map((c) => `${c.accountId}/${c.region}`).sort()).toEqual(
      [LOOPBACK_ACCOUNT_ID, MEMBER, SCP_DENIED, NESTED]
        .flatMap((id) => [`${id}/eu-west-1`, `${id}/us-east-1`])
        .sort(),
    );
  });

  it('scans the caller\u2019s own account with its own credentials when the role is not there, and says so', async () => {
    const run = await audit([...ORG, '--accounts', LOOPBACK_ACCOUNT_ID, '--output', 'json']);

    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(
      /\(the caller's account\): .* cannot be assumed; scanning with the caller's own credentials/,
    );
    expect(
      server.callsOf('DescribeClientVpnEndpoints').every((c) => c.accountId === LOOPBACK_ACCOUNT_ID),
    ).toBe(true);
  });

  it('scans the caller\u2019s own account through the role when the role exists there too', async () => {
    server.world.organization?.accounts[0]?.roles.push(ROLE);

    const run = await audit([...ORG, '--accounts', LOOPBACK_ACCOUNT_ID, '--output', 'json']);

    expect(run.code).toBe(0);
    expect(run.stderr).not.toMatch(/cannot be assumed/);
    expect(server.callsOf('AssumeRole').map((c) => c.params.RoleArn)).toEqual([
      `arn:aws:iam::${LOOPBACK_ACCOUNT_ID}:role/${ROLE}`,
    ]);
  });

  it('narrows to --accounts less --exclude-accounts', async () => {
    const run = await audit([
      ...ORG,
      '--accounts',
      `${MEMBER},${SCP_DENIED}`,
      '--exclude-accounts',
      SCP_DENIED,
      '--output',
      'json',
    ]);

    expect(run.code).toBe(1);
    expect(new Set((JSON.parse(run.stdout) as Finding[]).map((f) => f.accountId))).toEqual(new Set([MEMBER]));
    expect(server.callsOf('AssumeRole')).toHaveLength(1);
  });

  it('with --ou scans the accounts under that OU at any depth', async () => {
    const run = await audit([...ORG, '--ou', PARENT_OU, '--output', 'json']);

    expect(run.code).toBe(1);
    expect((JSON.parse(run.stdout) as Finding[]).map((f) => f.accountId)).toEqual([NESTED]);
    expect(
      server
        .callsOf('ListOrganizationalUnitsForParent')
        .map((c) => c.params.ParentId)
        .sort(),
    ).toEqual([NESTED_OU, PARENT_OU]);
  });

  it('refuses, before scanning, --accounts naming an account that is not ACTIVE in the organization', async () => {
    const run = await audit([...ORG, '--accounts', `${MEMBER},${SUSPENDED}`]);

    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`--accounts: ${SUSPENDED} is not an ACTIVE account of the organization`);
    expect(server.callsOf('AssumeRole', true)).toHaveLength(0);
  });

  it('says that --organization runs from the management or a delegated administrator account', async () => {
    const organization = server.world.organization;
    if (organization) server.world.organization = { ...organization, administratorAccountIds: [] };

    const run = await audit(ORG);

    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /could not list the organization's accounts \(AccessDeniedException: .*\)\. --organization runs from the management account or a delegated administrator account/,
    );
    expect(run.stdout).toBe('');
  });

  it('follows every page of ListAccounts', async () => {
    const organization = server.world.organization;
    for (let n = 100; n < 130; n++) {
      organization?.accounts.push({
        id: accountIdOf(n),
        name: `team-${n}`,
        state: 'ACTIVE',
        parentId: 'r-a1b2',
        roles: [ROLE],
        regions: { 'us-east-1': worldRegion() },
      });
    }

    const run = await audit([
      '--organization',
      '--role-name',
      ROLE,
      '--region',
      'us-east-1',
      '--output',
      'json',
    ]);

    expect(server.callsOf('ListAccounts')).toHaveLength(2);
    expect(server.callsOf('AssumeRole', true)).toHaveLength(35);
    expect(run.stderr).toMatch(/scanned in 34 account\(s\)/);
  });

  it('scans at most --concurrency account\u00d7region pairs at once', async () => {
    server.latencyMs = 30;

    await audit([...ORG, '--concurrency', '3']);

    expect(server.peakInFlight).toBe(3);
  });

  it('with --all-regions scans the regions each account has enabled, listed with its own credentials', async () => {
    const member = server.world.organization?.accounts.find((a) => a.id === MEMBER);
    if (member) member.regions['ap-east-1'] = worldRegion({ optInStatus: 'not-opted-in' });
    if (member) member.regions['eu-north-1'] = worldRegion();

    const run = await audit([
      '--organization',
      '--role-name',
      ROLE,
      '--accounts',
      `${MEMBER},${NESTED}`,
      '--all-regions',
      '--exclude-regions',
      'us-east-1',
      '--output',
      'json',
    ]);

    expect(run.code).toBe(0);
    expect(
      server
        .callsOf('DescribeRegions')
        .map((c) => c.accountId)
        .sort(),
    ).toEqual([MEMBER, NESTED].sort());
    expect(
      server
        .callsOf('DescribeClientVpnEndpoints')
        .map((c) => `${c.accountId}/${c.region}`)
        .sort(),
    ).toEqual([`${MEMBER}/eu-north-1`, `${MEMBER}/eu-west-1`, `${NESTED}/eu-west-1`].sort());
  });

  it('shows the account in the table', async () => {
    const run = await audit([...ORG, '--accounts', MEMBER]);

    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ACCOUNT\s+REGION\s+ENDPOINT\s+VERDICT\s+REASON$/);
    expect(lines[1]?.split(/\s+/).slice(0, 4)).toEqual([MEMBER, 'us-east-1', MEMBER_OFF, 'NON_COMPLIANT']);
  });
});

describe('audit --organization, when one account gets stuck', () => {
  let server: LoopbackServer;
  let restore: () => void;
  let dir: string;
  // The members that answer, and MEMBER, whose eu-west-1 EC2 accepts the connection and never answers.
  const ORG = [
    '--organization',
    '--role-name',
    ROLE,
    '--regions',
    'us-east-1,eu-west-1',
    '--accounts',
    `${MEMBER},${NESTED}`,
    '--timeout',
    '1',
  ];

  async function start(options: Omit<Parameters<typeof startLoopbackServer>[0], 'world'>): Promise<void> {
    server = await startLoopbackServer({ world: organizationWorld(), ...options });
    restore = useLoopbackEnvironment(server.url, 'us-east-1');
  }

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'audit-stuck-'));
  });

  afterEach(async () => {
    restore();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    ['json', (out: string) => JSON.stringify((JSON.parse(out) as { findings: Finding[] }).findings)],
    ['csv', (out: string) => out],
    ['table', (out: string) => out],
    ['asff', (out: string) => out],
  ])(
    'reports the stuck account and region as failed, still writes the accounts that answered as %s, and exits 2',
    async (format, findingsText) => {
      // Prepare
      await start({
        hang: [{ operation: 'DescribeClientVpnEndpoints', accountId: MEMBER, region: 'eu-west-1' }],
      });

      // Act
      const run = await audit([...ORG, '--output', format]);

      // Assess
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(
        new RegExp(
          `audit: ${MEMBER}/eu-west-1: timed out \\(ScanDeadlineError\\): no complete answer within the deadline of 1 s`,
        ),
      );
      expect(run.stderr).toContain(`1 region(s) failed: ${MEMBER}/eu-west-1 (timed-out)`);
      for (const answered of [MEMBER_OFF, NESTED_ENDPOINT])
        expect(findingsText(run.stdout)).toContain(answered);
    },
  );

  it('lists the failures beside the findings in JSON, by account ID and region, with the reason', async () => {
    await start({
      hang: [{ operation: 'DescribeClientVpnEndpoints', accountId: MEMBER, region: 'eu-west-1' }],
    });

    const run = await audit([...ORG, '--output', 'json']);

    expect(JSON.parse(run.stdout)).toEqual({
      complete: false,
      findings: [
        expect.objectContaining({ accountId: MEMBER, region: 'us-east-1', endpointId: MEMBER_OFF }),
        expect.objectContaining({ accountId: NESTED, region: 'us-east-1', endpointId: NESTED_ENDPOINT }),
      ],
      failures: [
        {
          accountId: MEMBER,
          region: 'eu-west-1',
          kind: 'timed-out',
          reason: expect.stringMatching(/no complete answer within the deadline of 1 s \(--timeout\)/),
        },
      ],
    });
  });

  it.each([
    [
      'GetCallerIdentity',
      /could not identify the caller \(sts:GetCallerIdentity in us-east-1\): .*deadline of 2 s/,
    ],
    ['ListAccounts', /could not list the organization's accounts: .*deadline of 2 s/],
  ])(
    'stops with exit 2 once --timeout passes when %s never answers',
    async (operation, reason) => {
      // Prepare
      await start({ hang: [{ operation }] });

      // Act: without the deadline the SDK waits 30 s a try, 3 tries
      const run = await audit([
        '--organization',
        '--role-name',
        ROLE,
        '--regions',
        'us-east-1',
        '--timeout',
        '2',
        '--output',
        'json',
      ]);

      // Assess
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(reason);
      expect(JSON.parse(run.stdout)).toMatchObject({ complete: false, failures: [{ kind: 'stopped' }] });
      expect(server.calls.some((c) => c.operation === operation && c.hung === true)).toBe(true);
    },
    20_000,
  );

  it('reports an account whose regions never come as failed by its ID, and scans the others', async () => {
    await start({ hang: [{ operation: 'DescribeRegions', accountId: MEMBER }] });

    const run = await audit([
      ...ORG.filter((a) => a !== 'us-east-1,eu-west-1' && a !== '--regions'),
      '--all-regions',
      '--output',
      'json',
    ]);

    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      `audit: account ${MEMBER}: could not reach the account: no complete answer within the deadline of 1 s`,
    );
    const { findings } = JSON.parse(run.stdout) as { findings: Finding[] };
    expect(findings.map((f) => f.endpointId)).toEqual([NESTED_ENDPOINT]);
  });

  it('stops a region whose endpoints list repeats its page token, naming the error, and scans the others', async () => {
    await start({
      repeatPageToken: [{ operation: 'DescribeClientVpnEndpoints', accountId: MEMBER, region: 'us-east-1' }],
    });

    const run = await audit([...ORG, '--output', 'json']);

    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      `audit: ${MEMBER}/us-east-1: RepeatedPageTokenError: DescribeClientVpnEndpoints answered page 2 with a page token it had already given`,
    );
    const { findings } = JSON.parse(run.stdout) as { findings: Finding[] };
    expect(findings.map((f) => f.endpointId)).toEqual([MEMBER_ON, NESTED_ENDPOINT]);
  });

  it.each(['ListAccounts', 'ListAccountsForParent', 'ListOrganizationalUnitsForParent'])(
    'stops when %s repeats its page token, leaving a JSON document that says why in --output-file',
    async (operation) => {
      // Prepare
      await start({ repeatPageToken: [{ operation }] });
      const file = join(dir, 'findings.json');
      const ou = operation === 'ListAccounts' ? [] : ['--ou', 'r-a1b2'];

      // Act
      const run = await audit([...ORG, ...ou, '--output', 'json', '--output-file', file]);

      // Assess
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(
        `RepeatedPageTokenError: ${operation} answered page 2 with a page token it had already given`,
      );
      expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({
        complete: false,
        findings: [],
        failures: [{ kind: 'stopped', reason: expect.stringContaining(`${operation} answered page 2`) }],
      });
    },
  );

  it('refuses an account ID from Organizations that is not 12 digits before it reaches an ARN or the output', async () => {
    // Prepare
    await start({});
    const account = server.world.organization?.accounts.find((a) => a.id === NESTED);
    if (account) Object.assign(account, { id: '12345678901\u202e' });

    // Act
    const run = await audit([...ORG.slice(0, 5), '--output', 'json']);

    // Assess
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      'Organizations listed 1 account(s) whose Id is not a 12-digit account ID; nothing was scanned',
    );
    expect(run.stdout + run.stderr).not.toContain('12345678901');
    expect(server.callsOf('AssumeRole')).toHaveLength(0);
  });
});
