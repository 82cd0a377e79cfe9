import './quiet-environment';
import { ConfigServiceClient, type Evaluation, PutEvaluationsCommand } from '@aws-sdk/client-config-service';
import { mockClient } from 'aws-sdk-client-mock';
import { EvaluationsNotAcceptedError } from '../../rule/errors';
import { putEvaluations } from '../../rule/evaluation-writer';

const config = mockClient(ConfigServiceClient);
const client = new ConfigServiceClient({});
const noWait = { sleep: jest.fn(async () => {}) };

const evaluation = (index: number): Evaluation => ({
  ComplianceResourceType: 'AWS::EC2::ClientVpnEndpoint',
  ComplianceResourceId: `cvpn-endpoint-${index.toString(16).padStart(17, '0')}`,
  ComplianceType: 'COMPLIANT',
  OrderingTimestamp: new Date('2026-11-21T00:00:00.412Z'),
});

beforeEach(() => {
  config.reset();
  noWait.sleep.mockClear();
});

describe('putEvaluations', () => {
  it('puts 201 evaluations in three calls of at most 100', async () => {
    // Prepare
    config.on(PutEvaluationsCommand).resolves({});

    // Act
    await putEvaluations(
      client,
      Array.from({ length: 201 }, (_, i) => evaluation(i)),
      'token',
      noWait,
    );

    // Assess
    const sizes = config.commandCalls(PutEvaluationsCommand).map((c) => c.args[0].input.Evaluations!.length);
    expect(sizes).toEqual([100, 100, 1]);
  });

  it('makes no call for no evaluations', async () => {
    // Act
    await putEvaluations(client, [], 'token', noWait);

    // Assess
    expect(config).not.toHaveReceivedCommand(PutEvaluationsCommand);
  });

  it('retries only the failed evaluations, waiting longer each time', async () => {
    // Prepare
    const all = [evaluation(1), evaluation(2), evaluation(3)];
    config
      .on(PutEvaluationsCommand)
      .resolvesOnce({ FailedEvaluations: [all[1], all[2]] })
      .resolvesOnce({ FailedEvaluations: [all[2]] })
      .resolves({ FailedEvaluations: [] });

    // Act
    await putEvaluations(client, all, 'token', { ...noWait, retryDelaysMs: [10, 40, 160] });

    // Assess
    const sent = config.commandCalls(PutEvaluationsCommand).map((c) => c.args[0].input.Evaluations!.length);
    expect(sent).toEqual([3, 2, 1]);
    expect(noWait.sleep.mock.calls).toEqual([[10], [40]]);
  });

  it('puts every batch before reporting the evaluations Config never accepted', async () => {
    // Prepare
    const all = Array.from({ length: 150 }, (_, i) => evaluation(i));
    config
      .on(PutEvaluationsCommand)
      .resolves({})
      .on(PutEvaluationsCommand, { Evaluations: all.slice(0, 100) })
      .resolves({ FailedEvaluations: [all[7]] })
      .on(PutEvaluationsCommand, { Evaluations: [all[7]] })
      .resolves({ FailedEvaluations: [all[7]] });

    // Act
    const writing = putEvaluations(client, all, 'token', { ...noWait, retryDelaysMs: [1, 2] });

    // Assess
    await expect(writing).rejects.toThrow(EvaluationsNotAcceptedError);
    await expect(writing).rejects.toThrow(
      /did not accept 1 evaluation\(s\) after retrying: AWS::EC2::ClientVpnEndpoint\/cvpn-endpoint-00000000000000007$/,
    );
    const sizes = config.commandCalls(PutEvaluationsCommand).map((c) => c.args[0].input.Evaluations!.length);
    expect(sizes).toEqual([100, 1, 1, 50]);
  });

  it('lists at most 20 refused evaluations in the message, counting the rest', () => {
    // Act
    const error = new EvaluationsNotAcceptedError(
      Array.from({ length: 23 }, (_, i) => `AWS::EC2::ClientVpnEndpoint/e${i}`),
    );

    // Assess
    expect(error.message).toMatch(/did not accept 23 evaluation\(s\).*e19 and 3 more$/);
    expect(error.failed).toHaveLength(23);
  });
});
