import { Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { nagFindingResource } from './nag-finding-resource';

/**
 * Grants a role exactly what evaluating Client VPN endpoints for the rule needs, in its stack's account
 * and region: the look-ups (`ec2:DescribeClientVpnEndpoints`, `ec2:DescribeClientVpnConnections`,
 * `logs:DescribeLogGroups`, `logs:DescribeLogStreams`, `kms:DescribeKey`,
 * `config:GetResourceConfigHistory`, `config:GetComplianceDetailsByConfigRule`) and
 * `config:PutEvaluations`, nothing that changes a resource. The rule Lambda's role and the member
 * accounts' evaluation role share it, with the cdk-nag acknowledgements of its wildcards.
 *
 * @param role - the role to grant
 */
export function grantRuleEvaluation(role: iam.Role): void {
  const { partition, region, account } = Stack.of(role);
  const configRules = `arn:${partition}:config:${region}:${account}:config-rule/*`;
  const logGroups = `arn:${partition}:logs:${region}:${account}:log-group:*`;
  const keys = `arn:${partition}:kms:${region}:*:key/*`;
  role.addToPolicy(
    new iam.PolicyStatement({
      sid: 'PutEvaluationsAndReadHistory',
      // Neither action supports resource-level permissions (Service Authorization Reference, AWS Config):
      // PutEvaluations is bound to its rule by the result token, GetResourceConfigHistory takes none.
      actions: ['config:PutEvaluations', 'config:GetResourceConfigHistory'],
      resources: ['*'],
    }),
  );
  role.addToPolicy(
    new iam.PolicyStatement({
      sid: 'ReadRuleCompliance',
      actions: ['config:GetComplianceDetailsByConfigRule'],
      // The rule's ID (the last part of its ARN) is assigned by AWS Config when the rule is created: after
      // the rule Lambda's role (naming it would be a dependency cycle), and in each member account for an
      // organization rule. Scoped to this account and region.
      resources: [configRules],
    }),
  );
  role.addToPolicy(
    new iam.PolicyStatement({
      sid: 'DescribeClientVpnEndpoints',
      // EC2 Describe* actions support no resource-level permissions. Connections are the delivery
      // check's evidence (verifyDelivery).
      actions: ['ec2:DescribeClientVpnEndpoints', 'ec2:DescribeClientVpnConnections'],
      resources: ['*'],
    }),
  );
  role.addToPolicy(
    new iam.PolicyStatement({
      sid: 'DescribeLogGroups',
      // DescribeLogStreams reads when a group last ingested events (verifyDelivery); both are
      // authorized on the log group (Service Authorization Reference, Amazon CloudWatch Logs).
      actions: ['logs:DescribeLogGroups', 'logs:DescribeLogStreams'],
      // Any endpoint may name any log group of this account and region.
      resources: [logGroups],
    }),
  );
  role.addToPolicy(
    new iam.PolicyStatement({
      sid: 'DescribeLogGroupKeys',
      // verifyKmsKeyState reads the state of each group's key. Keys only (not aliases), of this region: a
      // group's key is a key of its own region (CloudWatch Logs User Guide, Encrypt log data in
      // CloudWatch Logs using AWS KMS, grants logs.<region>.amazonaws.com). Any account: a group may
      // use another account's key, whose key policy must then also allow this role kms:DescribeKey.
      actions: ['kms:DescribeKey'],
      resources: [keys],
    }),
  );
  Validations.of(role).acknowledge(
    {
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'config:PutEvaluations, config:GetResourceConfigHistory, ec2:DescribeClientVpnEndpoints and ec2:DescribeClientVpnConnections support no resource-level permissions.',
    },
    {
      id: `AwsSolutions-IAM5[Resource::${nagFindingResource(role, keys)}]`,
      reason:
        "kms:DescribeKey only, on keys of this region: a log group may be encrypted with any key, of this account or another, and the rule must read each one's state.",
    },
    {
      id: `AwsSolutions-IAM5[Resource::${nagFindingResource(role, configRules)}]`,
      reason:
        "AWS Config assigns the rule's ID at creation (after the Lambda's role; in each member account for an organization rule); scoped to this account and region.",
    },
    {
      id: `AwsSolutions-IAM5[Resource::${nagFindingResource(role, logGroups)}]`,
      reason:
        'An endpoint may log to any log group of its account and region; the rule must look each one up.',
    },
  );
}
