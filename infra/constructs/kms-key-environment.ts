import { Arn, CfnRule, Fn, Stack, Token } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { ConstructConfigurationError } from './construct-configuration-error';

/** A KMS key that is not in the account, region or partition the remediation runs in. */
export class ForeignKmsKeyError extends ConstructConfigurationError {
  constructor(keyArn: string, problem: string) {
    super(
      `remediationKmsKeyArn ${keyArn} ${problem}: CloudWatch Logs groups can only be encrypted with a key of their own account and region, and the runbook refuses any other`,
    );
    this.name = 'ForeignKmsKeyError';
  }
}

/**
 * Refuses a remediation KMS key of another account, region or partition than the stack's: at synthesis
 * when the stack's environment is known, and otherwise with a template rule that fails the deployment
 * before any resource is created (the runbook refuses such a key at run time in any case).
 *
 * @param scope - a construct in the stack that passes the key
 * @param keyArn - the key's ARN, as the settings give it
 * @throws ForeignKmsKeyError naming the part that differs
 */
export function checkKmsKeyEnvironment(scope: Construct, keyArn: string): void {
  const stack = Stack.of(scope);
  const key = Arn.split(keyArn, 'arn:aws:kms:region:account:key/id' as never);
  const parts: [string, string, string][] = [
    ['account', key.account ?? '', stack.account],
    ['region', key.region ?? '', stack.region],
    ['partition', key.partition ?? '', stack.partition],
  ];
  const deployTime: [string, string][] = [];
  for (const [part, keyValue, stackValue] of parts) {
    if (Token.isUnresolved(stackValue)) deployTime.push([part, keyValue]);
    else if (keyValue !== stackValue) {
      throw new ForeignKmsKeyError(keyArn, `is in ${part} ${keyValue}, not the stack's ${stackValue}`);
    }
  }
  if (deployTime.length === 0 || stack.node.tryFindChild('KmsKeyEnvironmentRule') !== undefined) return;
  const pseudo: Record<string, string> = {
    account: 'AWS::AccountId',
    region: 'AWS::Region',
    partition: 'AWS::Partition',
  };
  new CfnRule(stack, 'KmsKeyEnvironmentRule', {
    assertions: deployTime.map(([part, keyValue]) => ({
      assert: Fn.conditionEquals(Fn.ref(pseudo[part]), keyValue),
      assertDescription: `remediationKmsKeyArn ${keyArn} is a key of ${part} ${keyValue}: deploy to that ${part}, or give a key of this one`,
    })),
  });
}
