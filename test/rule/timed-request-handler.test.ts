import './quiet-environment';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';

import { createAuditClients } from '../../audit/audit-clients';
import { createRuleClients } from '../../rule/rule-clients';
import * as timedRequestHandler from '../../rule/timed-request-handler';
import { startLoopbackServer, type LoopbackServer } from '../../sandbox/aws-loopback-server';
import { loopbackWorld, worldRegion } from '../../sandbox/loopback-world';

const { createTimedRequestHandler } = timedRequestHandler;

describe('createTimedRequestHandler', () => {
  let server: LoopbackServer;

  beforeEach(async () => {
    server = await startLoopbackServer({
      world: loopbackWorld({ 'us-east-1': worldRegion() }),
      hang: [{ operation: 'GetCallerIdentity' }],
    });
  });

  afterEach(async () => {
    await server.close();
  });

  it('fails a call that the endpoint accepts and never answers with a TimeoutError', async () => {
    // Prepare
    const sts = new STSClient({
      region: 'us-east-1',
      endpoint: server.url,
      credentials: {
        accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
        secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      },
      maxAttempts: 1,
      requestHandler: createTimedRequestHandler({ requestTimeoutMs: 200 }),
    });

    // Act
    const call = sts.send(new GetCallerIdentityCommand({}));

    // Assess
    await expect(call).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(server.calls.filter((c) => c.hung)).toHaveLength(1);
    sts.destroy();
  });
});

describe('the clients of the rule and the audit', () => {
  afterEach(() => jest.restoreAllMocks());

  it('are each built with a timed request handler', async () => {
    // Prepare
    const factory = jest.spyOn(timedRequestHandler, 'createTimedRequestHandler');

    // Act
    const rule = createRuleClients();
    const ruleHandlers = [
      rule.config.config.requestHandler,
      rule.logs.config.requestHandler,
      (await rule.ec2()).config.requestHandler,
      (await rule.kms()).config.requestHandler,
    ];
    const audit = createAuditClients('eu-west-1');
    const auditHandlers = [audit.ec2, audit.logs, audit.kms, audit.ssm].map((c) => c.config.requestHandler);

    // Assess
    const made = factory.mock.results.map((r) => r.value as unknown);
    for (const handler of [...ruleHandlers, ...auditHandlers]) expect(made).toContain(handler);
    audit.destroy();
  });
});
