import './quiet-environment';
import { CloudWatchLogsClient, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeClientVpnEndpointsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { DescribeKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { DEFAULT_RULE_PARAMETERS } from '../../rule/parameters';
import { evaluateEndpointsInRegion } from '../../rule/sweep';
import {
  ENDPOINT_ID,
  describeKeyAnswer,
  endpointsPage,
  logGroupsPage,
} from '../../sandbox/config-rule-events';

const ec2 = mockClient(EC2Client);
const logs = mockClient(CloudWatchLogsClient);
const kms = mockClient(KMSClient);
const clients = {
  ec2: new EC2Client({}),
  logs: new CloudWatchLogsClient({}),
  kms: () => Promise.resolve(new KMSClient({})),
};

beforeEach(() => {
  ec2.reset();
  logs.reset();
  kms.reset();
  kms.on(DescribeKeyCommand).resolves(describeKeyAnswer());
  ec2.on(DescribeClientVpnEndpointsCommand).resolves(endpointsPage());
  logs.on(DescribeLogGroupsCommand).resolves(logGroupsPage());
});

describe('evaluateEndpointsInRegion', () => {
  it('judges each endpoint of the region without a Config event, with the parameters given', async () => {
    // Act
    const verdicts = await evaluateEndpointsInRegion(clients, {
      ...DEFAULT_RULE_PARAMETERS,
      minRetentionDays: 400,
    });

    // Assess
    expect(ec2).toHaveReceivedCommandWith(DescribeClientVpnEndpointsCommand, { MaxResults: 1000 });
    expect(verdicts.map(({ endpointId, compliance }) => [endpointId, compliance])).toEqual([
      [ENDPOINT_ID, 'NON_COMPLIANT'],
      ['cvpn-endpoint-0f9e8d7c6b5a40312', 'NON_COMPLIANT'],
      ['cvpn-endpoint-04c3b2a1908f7e6d5', 'NON_COMPLIANT'],
      ['cvpn-endpoint-0d4c3b2a1f0e9d8c7', 'NOT_APPLICABLE'],
    ]);
    expect(verdicts[0].annotation).toMatch(/keeps events 365 days, minRetentionDays requires 400/);
    expect(verdicts[2].annotation).toMatch(/"\/aws\/clientvpn\/lab" does not exist/);
  });

  it('skips an entry EC2 returns without an endpoint ID and reads an endpoint with no status', async () => {
    // Prepare
    const [first] = endpointsPage().ClientVpnEndpoints!;
    ec2.on(DescribeClientVpnEndpointsCommand).resolves({
      ClientVpnEndpoints: [
        { ...first, ClientVpnEndpointId: undefined },
        { ...first, Status: undefined },
      ],
    });

    // Act
    const verdicts = await evaluateEndpointsInRegion(clients, DEFAULT_RULE_PARAMETERS);

    // Assess
    expect(verdicts).toEqual([
      {
        endpointId: ENDPOINT_ID,
        compliance: 'COMPLIANT',
        // The facts the verdict was reached from, for the audit to report beside it.
        logGroupName: '/aws/clientvpn/corp-remote-access',
        logGroupLookup: {
          status: 'found',
          logGroup: {
            name: '/aws/clientvpn/corp-remote-access',
            retentionInDays: 365,
            kmsKeyId: 'arn:aws:kms:us-east-1:123456789012:key/4c7e2b1a-9d3f-4e8a-b6c5-0f1e2d3c4b5a',
          },
        },
      },
    ]);
  });

  it('lets an EC2 failure through rather than judging a partial list', async () => {
    // Prepare
    ec2.on(DescribeClientVpnEndpointsCommand).rejects(new Error('Rate exceeded'));

    // Act / Assess
    await expect(evaluateEndpointsInRegion(clients, DEFAULT_RULE_PARAMETERS)).rejects.toThrow(
      'Rate exceeded',
    );
    expect(logs).not.toHaveReceivedCommand(DescribeLogGroupsCommand);
  });
});
