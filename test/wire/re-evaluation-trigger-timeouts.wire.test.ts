import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeConfigRulesCommand } from '@aws-sdk/client-config-service';
import { DescribeClientVpnEndpointsCommand } from '@aws-sdk/client-ec2';
import { DescribeKeyCommand } from '@aws-sdk/client-kms';
import {
  createReEvaluationTrigger,
  createTriggerDependencies,
  type HttpTimeouts,
} from '../../rule/re-evaluation-trigger';
import { kmsEvent } from '../../sandbox/cloudtrail-events';
import { useLoopbackEnvironment } from '../../sandbox/loopback-environment';

/** Short timeouts, so that a test of them is short; the deployed ones are TRIGGER_HTTP_TIMEOUTS. */
const SHORT: HttpTimeouts = { connectionTimeout: 100, requestTimeout: 200 };

describe('the re-evaluation trigger against an AWS that accepts connections and never answers', () => {
  let server: Server;
  let restore: () => void;

  beforeEach(async () => {
    // Prepare: a server that reads every request and answers none.
    server = createServer(() => undefined);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    restore = useLoopbackEnvironment(`http://127.0.0.1:${port}`, 'us-east-1');
  });

  afterEach(async () => {
    restore();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('gives up every call of every client it creates with a TimeoutError', async () => {
    // Prepare
    const { config, ec2, logs, kms } = createTriggerDependencies({}, SHORT);

    // Act
    const calls = await Promise.allSettled([
      config.send(new DescribeConfigRulesCommand({})),
      ec2.send(new DescribeClientVpnEndpointsCommand({ MaxResults: 1000 })),
      logs.send(new DescribeLogGroupsCommand({ logGroupIdentifiers: ['/vpn/a'] })),
      kms.send(new DescribeKeyCommand({ KeyId: 'alias/vpn-logs' })),
    ]);

    // Assess
    expect(
      calls.map((call) => (call.status === 'rejected' ? (call.reason as Error).name : 'answered')),
    ).toEqual(Array(4).fill('TimeoutError'));
  });

  it('ends an invocation with the timeout, the look-up failed safe and the start refused, rather than hanging', async () => {
    // Prepare
    const warnings: string[] = [];
    const trigger = createReEvaluationTrigger({
      ...createTriggerDependencies({}, SHORT),
      environment: { CONFIG_RULE_NAME: 'client-vpn-connection-logging' },
      log: (level, message) => {
        if (level !== 'info') warnings.push(`${level}: ${message}`);
      },
    });

    // Act
    const outcome = trigger(kmsEvent('DisableKey', 'alias/vpn-logs'));

    // Assess
    await expect(outcome).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(warnings).toEqual([
      'warn: Pipeline look-up failed; evaluating anyway',
      'error: Evaluation could not be started',
    ]);
  });
});
