import { readConnectionLogOptions } from '../../rule/connection-log-options';
import { decideCompliance } from '../../rule/decision';
import { lookUpLogGroup } from '../../rule/log-group-directory';
import { DEFAULT_RULE_PARAMETERS } from '../../rule/parameters';
import type { RuleParameters, Verdict } from '../../rule/types';
import { loadRunbook } from '../../remediation/runbook';
import { ClientVpnWorld } from './client-vpn-world';
import { RunbookExecutor } from '../../sandbox/runbook-executor';

const ENDPOINT_ID = 'cvpn-endpoint-0123456789abcdef0';
const ROLE_ARN = 'arn:aws:iam::123456789012:role/ClientVpnConnectionLoggingRemediation';
const KMS_KEY_ARN = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const GROUP = '/aws/clientvpn/engineering';

/** Decides the endpoint's compliance from the world, through the rule's own adapters. */
async function decide(world: ClientVpnWorld, parameters: RuleParameters): Promise<Verdict> {
  const endpoint = world.endpoint(ENDPOINT_ID);
  const connectionLog = readConnectionLogOptions(endpoint);
  const lookup =
    connectionLog.logGroupName === undefined || !parameters.verifyLogGroup
      ? ({ status: 'not-checked' } as const)
      : await lookUpLogGroup(world.logs, connectionLog.logGroupName);
  return decideCompliance(
    { endpointId: ENDPOINT_ID, status: endpoint.Status?.Code, connectionLog },
    lookup,
    parameters,
  );
}

describe('the remediation, judged by the rule', () => {
  it.each<[string, (world: ClientVpnWorld) => void, RuleParameters, Record<string, string>]>([
    [
      'connection logging is off',
      (world) => world.withEndpoint(ENDPOINT_ID, { enabled: false }),
      { ...DEFAULT_RULE_PARAMETERS, verifyLogGroup: true, requireKmsEncryption: false },
      {},
    ],
    [
      'its log group was deleted',
      (world) => world.withEndpoint(ENDPOINT_ID, { enabled: true, logGroup: GROUP }),
      { ...DEFAULT_RULE_PARAMETERS, verifyLogGroup: true, requireKmsEncryption: false },
      {},
    ],
    [
      'its log group keeps events for less than minRetentionDays',
      (world) =>
        world
          .withEndpoint(ENDPOINT_ID, { enabled: true, logGroup: GROUP })
          .withLogGroup(GROUP, { retentionInDays: 30 }),
      {
        ...DEFAULT_RULE_PARAMETERS,
        verifyLogGroup: true,
        minRetentionDays: 365,
        requireKmsEncryption: false,
      },
      { RetentionInDays: '365' },
    ],
    [
      'its log group is not KMS-encrypted and the rule requires it',
      (world) =>
        world
          .withEndpoint(ENDPOINT_ID, { enabled: true, logGroup: GROUP })
          .withLogGroup(GROUP, { retentionInDays: 365 }),
      { ...DEFAULT_RULE_PARAMETERS, verifyLogGroup: true, requireKmsEncryption: true },
      { KmsKeyArn: KMS_KEY_ARN },
    ],
    [
      'logging is off and the rule requires 731 days and a KMS key',
      (world) => world.withEndpoint(ENDPOINT_ID, { enabled: false }),
      { ...DEFAULT_RULE_PARAMETERS, verifyLogGroup: true, minRetentionDays: 731, requireKmsEncryption: true },
      { RetentionInDays: '731', KmsKeyArn: KMS_KEY_ARN },
    ],
    [
      'its log group lies outside logGroupNamePrefix',
      (world) =>
        world
          .withEndpoint(ENDPOINT_ID, { enabled: true, logGroup: '/aws/clientvpn' })
          .withLogGroup('/aws/clientvpn', { retentionInDays: 365 }),
      {
        ...DEFAULT_RULE_PARAMETERS,
        verifyLogGroup: true,
        minRetentionDays: 365,
        requireKmsEncryption: false,
        logGroupNamePrefix: '/org/clientvpn/',
      },
      { LogGroupNamePrefix: '/org/clientvpn/', LogGroupName: '/org/clientvpn/engineering' },
    ],
  ])(
    'turns an endpoint NON_COMPLIANT because %s into a COMPLIANT one',
    async (_case, prepareWorld, ruleParameters, runbookParameters) => {
      // Prepare
      const world = new ClientVpnWorld().withKey(KMS_KEY_ARN);
      try {
        prepareWorld(world);
        const before = await decide(world, ruleParameters);
        const executor = new RunbookExecutor({ clients: world.clients() });

        // Act
        const result = await executor.run(loadRunbook(), {
          ClientVpnEndpointId: ENDPOINT_ID,
          AutomationAssumeRole: ROLE_ARN,
          ...runbookParameters,
        });
        const after = await decide(world, ruleParameters);

        // Assess
        expect(before.compliance).toBe('NON_COMPLIANT');
        expect(result.status).toBe('Success');
        expect(after).toEqual({ compliance: 'COMPLIANT' });
      } finally {
        world.restore();
      }
    },
  );
});
