import './quiet-environment';
import { DescribeClientVpnConnectionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { listConnectionTimes, parseConnectionTime } from '../../rule/client-vpn-connections';
import { ENDPOINT_ID, connectionsPage } from '../../sandbox/config-rule-events';

const ec2 = mockClient(EC2Client);

beforeEach(() => ec2.reset());

describe('parseConnectionTime', () => {
  it.each<[string | undefined, string | undefined]>([
    ['2026-11-20 09:41:07', '2026-11-20T09:41:07.000Z'],
    ['2026-11-20T09:41:07Z', '2026-11-20T09:41:07.000Z'],
    [' 2026-01-02 03:04:05 ', '2026-01-02T03:04:05.000Z'],
    ['2026-02-31 09:41:07', undefined],
    ['yesterday', undefined],
    ['', undefined],
    [undefined, undefined],
  ])('reads %j as %s (UTC)', (text, expected) => {
    expect(parseConnectionTime(text)?.toISOString()).toBe(expected);
  });
});

describe('listConnectionTimes', () => {
  it('reads the establishment times of the documented answer', async () => {
    // Prepare
    ec2.on(DescribeClientVpnConnectionsCommand).resolves(connectionsPage());

    // Act
    const times = await listConnectionTimes(new EC2Client({}), ENDPOINT_ID);

    // Assess
    expect(ec2).toHaveReceivedCommandWith(DescribeClientVpnConnectionsCommand, {
      ClientVpnEndpointId: ENDPOINT_ID,
      MaxResults: 1000,
    });
    expect(times.map((t) => t.toISOString())).toEqual([
      '2026-11-20T09:41:07.000Z',
      '2026-11-20T09:52:43.000Z',
    ]);
  });

  it('follows every page and leaves out a time it cannot read', async () => {
    // Prepare
    const [first, second] = connectionsPage().Connections!;
    ec2
      .on(DescribeClientVpnConnectionsCommand)
      .resolvesOnce({ Connections: [first!], NextToken: 'page-2' })
      .resolvesOnce({ Connections: [{ ...second!, ConnectionEstablishedTime: 'soon' }, second!] });

    // Act
    const times = await listConnectionTimes(new EC2Client({}), ENDPOINT_ID);

    // Assess
    expect(ec2).toHaveReceivedCommandTimes(DescribeClientVpnConnectionsCommand, 2);
    expect(ec2.commandCalls(DescribeClientVpnConnectionsCommand)[1]!.args[0].input.NextToken).toBe('page-2');
    expect(times).toHaveLength(2);
  });

  it('gives no connections for an endpoint deleted since it was listed', async () => {
    // Prepare
    ec2
      .on(DescribeClientVpnConnectionsCommand)
      .rejects(Object.assign(new Error('does not exist'), { name: 'InvalidClientVpnEndpointId.NotFound' }));

    // Act / Assess
    await expect(listConnectionTimes(new EC2Client({}), ENDPOINT_ID)).resolves.toEqual([]);
  });

  it('lets any other failure through', async () => {
    // Prepare
    ec2
      .on(DescribeClientVpnConnectionsCommand)
      .rejects(Object.assign(new Error('not authorized'), { name: 'UnauthorizedOperation' }));

    // Act / Assess
    await expect(listConnectionTimes(new EC2Client({}), ENDPOINT_ID)).rejects.toThrow('not authorized');
  });
});
