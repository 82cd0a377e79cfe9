import { Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import {
  type AutomationDocument,
  DEFAULT_LOG_GROUP_NAME_PREFIX,
  loadRunbook,
  RUNBOOK_NAME,
} from '../../remediation/runbook';
import { nagFindingResource } from './nag-finding-resource';
import {
  actionsByScope,
  managedLogGroupArn,
  type ResourceScope,
  runbookActions,
} from './runbook-permissions';

/** Props of {@link RemediationRunbook}. */
export interface RemediationRunbookProps {
  /**
   * The SSM document's name.
   * @default 'EnableClientVpnConnectionLogging'
   */
  readonly documentName?: string;
  /**
   * A fixed name for the automation role, used as it is: callers append the region
   * (`regionalRoleName`), since IAM names are account-wide and this role's trust is regional.
   * @default - a name CloudFormation generates
   */
  readonly roleName?: string;
  /**
   * The managed prefix: the automation role may create and change only log groups whose names start with
   * it. Give the rule's `logGroupNamePrefix`, which the remediation also passes as `LogGroupNamePrefix`.
   * @default '/aws/clientvpn' (the runbook's default `LogGroupNamePrefix`)
   */
  readonly logGroupNamePrefix?: string;
  /**
   * The runbook to embed.
   * @default - `remediation/EnableClientVpnConnectionLogging.yaml`, parsed
   */
  readonly runbook?: AutomationDocument;
}

/**
 * The SSM Automation runbook, embedded from `remediation/EnableClientVpnConnectionLogging.yaml` as it is
 * (updates create new versions), and the role it runs as: assumable only by SSM Automation in this
 * account, allowed exactly the runbook's actions on this account's and region's Client VPN endpoints, and
 * able to write only to log groups inside the managed prefix.
 *
 * @example
 * ```ts
 * import { App, Stack } from 'aws-cdk-lib';
 * import { RemediationRunbook } from 'client-vpn-connection-logging';
 *
 * const stack = new Stack(new App(), 'RemediationStack');
 * const runbook = new RemediationRunbook(stack, 'Runbook', { logGroupNamePrefix: '/aws/clientvpn' });
 * // A remediation configuration targets runbook.documentName and passes runbook.automationRole.roleArn
 * // as AutomationAssumeRole.
 * ```
 */
export class RemediationRunbook extends Construct {
  /** The SSM document. */
  public readonly document: ssm.CfnDocument;
  /** The document's name. */
  public readonly documentName: string;
  /** The role the runbook runs as (its `AutomationAssumeRole`). */
  public readonly automationRole: iam.Role;

  constructor(scope: Construct, id: string, props: RemediationRunbookProps = {}) {
    super(scope, id);
    const { partition, region, account } = Stack.of(this);
    const runbook = props.runbook ?? loadRunbook();
    const prefix = props.logGroupNamePrefix ?? DEFAULT_LOG_GROUP_NAME_PREFIX;

    this.document = new ssm.CfnDocument(this, 'Document', {
      name: props.documentName ?? RUNBOOK_NAME,
      documentType: 'Automation',
      // The YAML file parsed to the same document in JSON form: CloudFormation takes Content as JSON.
      documentFormat: 'JSON',
      content: runbook,
      updateMethod: 'NewVersion',
    });
    this.documentName = this.document.ref;

    this.automationRole = new iam.Role(this, 'AutomationRole', {
      roleName: props.roleName,
      description: 'Runs the EnableClientVpnConnectionLogging runbook for the Config remediation',
      // Only SSM Automation, and only for executions in this account (confused-deputy protection).
      assumedBy: new iam.ServicePrincipal('ssm.amazonaws.com').withConditions({
        StringEquals: { 'aws:SourceAccount': account },
        ArnLike: { 'aws:SourceArn': `arn:${partition}:ssm:${region}:${account}:automation-execution/*` },
      }),
    });

    const resources: Record<ResourceScope, string> = {
      // Justified per action in runbook-permissions.ts: these actions support no resource-level permissions.
      any: '*',
      // Endpoint IDs are the remediation's input, known only at run time.
      'client-vpn-endpoint': `arn:${partition}:ec2:${region}:${account}:client-vpn-endpoint/*`,
      // Reading only (DescribeLogGroups): the script reads just the target group, known only at run time.
      'log-group': `arn:${partition}:logs:${region}:${account}:log-group:*`,
      // Every write: the runbook creates or changes only groups inside the managed prefix.
      'managed-log-group': managedLogGroupArn(partition, region, account, prefix),
      // Reading only (DescribeKey): the target group's key, known only at run time. Keys of this region only:
      // a group's key is a key of its own region. Any account, as for the rule's own look-up
      // (rule-evaluation-permissions.ts): a group may use another account's key, whose key policy then also
      // decides. Without this the runbook would refuse to fix a group the rule can judge.
      'kms-key': `arn:${partition}:kms:${region}:*:key/*`,
    };
    const reasons: Record<ResourceScope, string> = {
      any: 'ec2:DescribeClientVpnEndpoints supports no resource-level permissions.',
      'client-vpn-endpoint':
        'The endpoint to fix is the remediation input, known only at run time; limited to this account and region.',
      'log-group':
        'DescribeLogGroups only reads; the group read is the target, known only at run time; limited to this account and region.',
      'managed-log-group': `Writes are limited to log groups inside the managed prefix ${prefix}, in this account and region; the group is known only at run time.`,
      'kms-key':
        "DescribeKey only reads a key's metadata; the key is the target group's, known only at run time and possibly another account's; limited to this region.",
    };
    for (const [scope, actions] of actionsByScope(runbookActions(runbook))) {
      this.automationRole.addToPolicy(new iam.PolicyStatement({ actions, resources: [resources[scope]] }));
      Validations.of(this.automationRole).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${nagFindingResource(this, resources[scope])}]`,
        reason: reasons[scope],
      });
    }
  }
}
