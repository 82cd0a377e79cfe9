import {
  ListAccountsCommand,
  ListAccountsForParentCommand,
  ListOrganizationalUnitsForParentCommand,
  OrganizationsClient,
  paginateListAccounts,
} from '@aws-sdk/client-organizations';
import { DescribeClientVpnEndpointsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';

import { startLoopbackServer, type LoopbackServer } from '../../sandbox/aws-loopback-server';
import { useLoopbackEnvironment } from '../../sandbox/loopback-environment';
import {
  accountIdOf,
  endpointIdOf,
  LOOPBACK_ACCOUNT_ID,
  loopbackWorld,
  withOrganization,
  worldRegion,
} from '../../sandbox/loopback-world';

// The organization side of the loopback server, through the real SDK clients: a wire-level audit of
// an organization means something only if the server pages, refuses and scopes credentials as AWS does.
describe('the AWS loopback server\u2019s organization, through the real SDK v3 clients', () => {
  let server: LoopbackServer;
  let restore: () => void;
  const MEMBER = accountIdOf(1);
  const OU = 'ou-ab12-teams123';

  beforeEach(async () => {
    const world = withOrganization(
      loopbackWorld({ 'us-east-1': worldRegion() }),
      [
        {
          id: MEMBER,
          roles: ['Audit'],
          parentId: OU,
          regions: {
            'us-east-1': worldRegion({
              endpoints: [{ endpointId: endpointIdOf(7), status: 'available', enabled: false }],
            }),
          },
        },
        ...Array.from({ length: 24 }, (_, i) => ({ id: accountIdOf(100 + i), roles: [], regions: {} })),
      ],
      [],
      [{ id: OU, name: 'teams', parentId: 'r-a1b2' }],
    );
    server = await startLoopbackServer({ world });
    restore = useLoopbackEnvironment(server.url, 'us-east-1');
  });

  afterEach(async () => {
    restore();
    await server.close();
  });

  it('lists every account page by page, at most MaxResults a page, with State', async () => {
    const organizations = new OrganizationsClient({});

    const pages = [];
    for await (const page of paginateListAccounts({ client: organizations, pageSize: 20 }, {}))
      pages.push(page);

    expect(pages.map((p) => p.Accounts?.length)).toEqual([20, 6]);
    expect(pages[0]?.Accounts?.[0]).toMatchObject({ Id: LOOPBACK_ACCOUNT_ID, State: 'ACTIVE' });
  });

  it.each([
    ['MaxResults above 20', new ListAccountsCommand({ MaxResults: 21 }), 'InvalidInputException'],
    ['a malformed ParentId', new ListAccountsForParentCommand({ ParentId: 'ou-x' }), 'InvalidInputException'],
    [
      'an unknown OU',
      new ListOrganizationalUnitsForParentCommand({ ParentId: 'ou-zz99-zzzzzzzz' }),
      'ParentNotFoundException',
    ],
  ])('refuses %s as Organizations does', async (_case, command, code) => {
    const organizations = new OrganizationsClient({});

    await expect(organizations.send(command as ListAccountsCommand)).rejects.toMatchObject({ name: code });
  });

  it('refuses ListAccounts to an account that is not an administrator of the organization', async () => {
    const sts = new STSClient({});
    const { Credentials } = await sts.send(
      new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${MEMBER}:role/Audit`, RoleSessionName: 'test' }),
    );
    const organizations = new OrganizationsClient({
      credentials: {
        accessKeyId: Credentials?.AccessKeyId ?? '',
        secretAccessKey: Credentials?.SecretAccessKey ?? '',
        sessionToken: Credentials?.SessionToken ?? '',
      },
    });

    await expect(organizations.send(new ListAccountsCommand({}))).rejects.toMatchObject({
      name: 'AccessDeniedException',
    });
  });

  it('denies AssumeRole of a role the account does not hold, and of a malformed session name', async () => {
    const sts = new STSClient({});

    await expect(
      sts.send(
        new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${MEMBER}:role/Missing`, RoleSessionName: 'ok' }),
      ),
    ).rejects.toMatchObject({ name: 'AccessDenied' });
    await expect(
      sts.send(
        new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${MEMBER}:role/Audit`, RoleSessionName: 'bad name' }),
      ),
    ).rejects.toMatchObject({ name: 'ValidationError' });
  });

  it('gives session credentials that reach the assumed account\u2019s regions and no other', async () => {
    const sts = new STSClient({});
    const { Credentials } = await sts.send(
      new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${MEMBER}:role/Audit`, RoleSessionName: 'test' }),
    );
    const credentials = {
      accessKeyId: Credentials?.AccessKeyId ?? '',
      secretAccessKey: Credentials?.SecretAccessKey ?? '',
      sessionToken: Credentials?.SessionToken ?? '',
    };

    const member = await new EC2Client({ credentials }).send(new DescribeClientVpnEndpointsCommand({}));
    const own = await new EC2Client({}).send(new DescribeClientVpnEndpointsCommand({}));
    const identity = await new STSClient({ credentials }).send(new GetCallerIdentityCommand({}));

    expect(member.ClientVpnEndpoints?.map((e) => e.ClientVpnEndpointId)).toEqual([endpointIdOf(7)]);
    expect(own.ClientVpnEndpoints).toEqual([]);
    expect(identity.Account).toBe(MEMBER);
    expect(server.callsOf('DescribeClientVpnEndpoints').map((c) => c.accountId)).toEqual([
      MEMBER,
      LOOPBACK_ACCOUNT_ID,
    ]);
  });
});
