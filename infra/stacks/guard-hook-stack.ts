import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Aws, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import { CfnGuardHook } from 'aws-cdk-lib/aws-cloudformation';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Asset } from 'aws-cdk-lib/aws-s3-assets';
import type { Construct } from 'constructs';
import { nagFindingResource } from '../constructs/nag-finding-resource';
import { GUARD_HOOK_TYPE, regionHasResourceType } from '../constructs/cloudformation-resource-availability';
import {
  POLICY_FILE_NAME,
  type PolicyParameters,
  renderConnectionLoggingPolicy,
} from '../../policy/connection-logging-policy';
import { StackConfigurationError } from './stack-configuration-error';

/** What a Guard hook does with a failed evaluation: refuse the operation, or only report it. */
export type GuardHookFailureMode = 'FAIL' | 'WARN';

/** A Guard hook asked for in a region whose CloudFormation has no `AWS::CloudFormation::GuardHook`. */
export class GuardHookUnavailableError extends StackConfigurationError {
  constructor(region: string) {
    super(
      `guardHook=true: CloudFormation has no ${GUARD_HOOK_TYPE} in ${region}, so the Guard hook stack cannot be deployed there. Leave guardHook off for ${region} and check templates before deployment with \`npx client-vpn-logging check-template\` or the CDK check instead (docs/prevention.md).`,
    );
    this.name = 'GuardHookUnavailableError';
  }
}

/** The hook's alias (its type name in the account); AWS reserves aliases starting with "AWS". */
export const GUARD_HOOK_ALIAS = 'ClientVpn::ConnectionLogging::GuardHook';

/** Properties of the Guard hook stack. */
export interface GuardHookStackProps extends StackProps {
  /** The rule parameters the policy is rendered for: the Config rule's, so both controls agree. */
  readonly parameters: PolicyParameters;
  /**
   * FAIL refuses a non-compliant stack operation; WARN lets it proceed with a warning.
   * @default 'FAIL'
   */
  readonly failureMode?: GuardHookFailureMode;
  /**
   * An existing S3 bucket the hook writes its detailed results to: each failed check with the path
   * `/Resources/<LogicalId>/...` of the endpoint and the rule's Violation and Fix text. CloudFormation
   * itself shows only the failed rules' names.
   * @default no log bucket
   */
  readonly logBucketName?: string;
}

/**
 * An account-wide CloudFormation Guard hook that refuses to create or update a stack whose template
 * has a Client VPN endpoint without connection logging, running the same Guard policy as
 * `check-template` and the CDK check.
 *
 * It targets STACK operations: the hook's Guard input is then the whole proposed template, so a
 * `Ref` from an endpoint to an `AWS::Logs::LogGroup` of the same template resolves to that group's
 * properties. A RESOURCE-level hook sees one resource only and could not judge the group.
 * https://docs.aws.amazon.com/cloudformation-cli/latest/hooks-userguide/guard-hooks-write-rules.html
 */
export class GuardHookStack extends Stack {
  /** The hook. */
  public readonly hook: CfnGuardHook;
  /** The role the hook assumes to read its rule file. */
  public readonly executionRole: iam.Role;
  /** The Guard rule file's text, rendered for the stack's parameters. */
  public readonly policy: string;

  constructor(scope: Construct, id: string, props: GuardHookStackProps) {
    super(scope, id, props);
    if (regionHasResourceType(this.region, GUARD_HOOK_TYPE) === false)
      throw new GuardHookUnavailableError(this.region);
    // The rule file is rendered for this stack's parameters and uploaded as a file asset (not zipped).
    const directory = mkdtempSync(path.join(tmpdir(), 'client-vpn-guard-hook-'));
    const ruleFile = path.join(directory, POLICY_FILE_NAME);
    this.policy = renderConnectionLoggingPolicy(props.parameters);
    writeFileSync(ruleFile, this.policy);
    const rules = new Asset(this, 'PolicyRules', { path: ruleFile });

    // Trust as AWS documents for hook execution roles, limited to hooks of this account and region:
    // https://docs.aws.amazon.com/cloudformation-cli/latest/hooks-userguide/guard-hooks-prepare-to-create-hook.html
    this.executionRole = new iam.Role(this, 'ExecutionRole', {
      description: 'Lets the Client VPN connection-logging Guard hook read its rule file',
      assumedBy: new iam.ServicePrincipal('hooks.cloudformation.amazonaws.com').withConditions({
        StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
        // The hook's type ARN ends in a name CloudFormation derives from the alias: `*` stands for it.
        ArnLike: {
          'aws:SourceArn': `arn:${Aws.PARTITION}:cloudformation:${Aws.REGION}:${Aws.ACCOUNT_ID}:type/hook/*`,
        },
      }),
    });
    // Read the one rule object, and list the bucket for that key only (AWS's minimum for a Guard hook).
    const readRuleFile = new iam.Policy(this, 'ReadRuleFile', {
      roles: [this.executionRole],
      statements: [
        new iam.PolicyStatement({
          actions: ['s3:GetObject', 's3:GetObjectVersion'],
          resources: [rules.bucket.arnForObjects(rules.s3ObjectKey)],
        }),
        new iam.PolicyStatement({
          actions: ['s3:ListBucket'],
          resources: [rules.bucket.bucketArn],
          conditions: { StringEquals: { 's3:prefix': rules.s3ObjectKey } },
        }),
      ],
    });
    if (props.logBucketName !== undefined) {
      const results = `arn:${Aws.PARTITION}:s3:::${props.logBucketName}/*`;
      readRuleFile.addStatements(
        new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: [results] }),
      );
      Validations.of(readRuleFile).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${nagFindingResource(this, results)}]`,
        reason: 'The hook names each result object itself; writing is limited to the one log bucket.',
      });
    }

    this.hook = new CfnGuardHook(this, 'Hook', {
      alias: GUARD_HOOK_ALIAS,
      executionRole: this.executionRole.roleArn,
      failureMode: props.failureMode ?? 'FAIL',
      hookStatus: 'ENABLED',
      ruleLocation: { uri: rules.s3ObjectUrl },
      logBucket: props.logBucketName,
      targetOperations: ['STACK'],
    });
    // Resource type names filter resource operations; a stack operation carries the whole template,
    // and the policy passes (skips) a template without Client VPN endpoints. The schema's first form
    // (Actions and InvocationPoints without Targets) is valid, but the L1 type only models `Targets`.
    this.hook.addPropertyOverride('TargetFilters', {
      Actions: ['CREATE', 'UPDATE'],
      InvocationPoints: ['PRE_PROVISION'],
    });
    // The hook reads the rule file with the role as soon as it is enabled: grant before enabling.
    this.hook.node.addDependency(readRuleFile);
  }
}
