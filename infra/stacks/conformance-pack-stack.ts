import {
  Aws,
  CfnCondition,
  CfnParameter,
  DefaultStackSynthesizer,
  Fn,
  Stack,
  type StackProps,
} from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { LAMBDA_FUNCTION_ARN_PATTERN } from '../../rule/aws-name-patterns';
import { ConnectionLoggingConfigRule } from '../constructs/connection-logging-config-rule';
import type { DeploymentSettings } from '../constructs/deployment-settings';
import { regionalRoleName } from '../constructs/regional-role-name';
import {
  REMEDIATION_CONFIGURATION_TYPE,
  stackRegionHasResourceType,
} from '../constructs/cloudformation-resource-availability';

/** Props of {@link ConformancePackStack}. */
export interface ConformancePackStackProps extends StackProps {
  /** The deployment's settings: rule parameters and remediation settings are written into the pack. */
  readonly settings: DeploymentSettings;
}

/**
 * The conformance pack template, built from the same rule construct as the account stack: only the
 * Config rule and its remediation, with the deployed pieces (Lambda, document, roles) as parameters.
 * `conformance-pack.ts` turns its template into `dist/conformance-pack.yaml`; it is never deployed as a stack.
 *
 * The role parameters take base names: the pack appends the region it runs in (`<name>-<AWS::Region>`,
 * the naming rule of `regional-role-name.ts`), so one value fits every account and region.
 *
 * @example
 * ```ts
 * import { App } from 'aws-cdk-lib';
 * import { ConformancePackStack, readDeploymentSettings } from 'client-vpn-connection-logging';
 *
 * const app = new App();
 * new ConformancePackStack(app, 'ClientVpnConnectionLoggingConformancePack', {
 *   settings: readDeploymentSettings(app.node),
 * });
 * // conformancePackYaml turns its synthesised template into the pack.
 * ```
 */
export class ConformancePackStack extends Stack {
  constructor(scope: Construct, id: string, props: ConformancePackStackProps) {
    super(scope, id, {
      synthesizer: new DefaultStackSynthesizer({ generateBootstrapVersionRule: false }),
      analyticsReporting: false,
      ...props,
    });
    const { settings } = props;

    const functionArn = new CfnParameter(this, 'RuleFunctionArn', {
      type: 'String',
      description:
        "ARN of the rule's Lambda function (output RuleFunctionArn of the account or organization stack)",
      allowedPattern: LAMBDA_FUNCTION_ARN_PATTERN.source,
    });
    // A pack takes only rules and remediation configurations: where CloudFormation has no native
    // remediation resource, the pack has the rule alone, and no parameter that only the remediation uses.
    const packRemediates = stackRegionHasResourceType(this, REMEDIATION_CONFIGURATION_TYPE) !== false;
    const documentName = packRemediates
      ? new CfnParameter(this, 'RemediationDocumentName', {
          type: 'String',
          description: 'Name of the EnableClientVpnConnectionLogging SSM Automation document in each account',
          default: settings.documentName,
        }).valueAsString
      : settings.documentName;
    const automationRoleName = packRemediates
      ? new CfnParameter(this, 'AutomationAssumeRoleName', {
          type: 'String',
          description:
            "Base name of the runbook's automation role in each account; the role used is <name>-<region>",
          default: settings.memberAutomationRoleName,
        }).valueAsString
      : settings.memberAutomationRoleName;
    const executionRoleName = new CfnParameter(this, 'ExecutionRoleName', {
      type: 'String',
      description:
        'Organization packs, optional: base name of the evaluation role (<name>-<region> is used); it must match the role the central Lambda is configured to assume, or its evaluations fail. Empty for one account',
      default: '',
    });
    const crossAccount = new CfnCondition(this, 'HasExecutionRoleName', {
      expression: Fn.conditionNot(Fn.conditionEquals(executionRoleName.valueAsString, '')),
    });

    new ConnectionLoggingConfigRule(this, 'ClientVpnLogging', {
      rule: settings.rule,
      remediation: settings.remediation,
      functionArn: functionArn.valueAsString,
      documentName,
      // The role is per account and region: its ARN is built where the pack runs, from the shared base name.
      // Aws.REGION, never a concrete region: one pack template serves every region.
      automationRoleArn: `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:role/${regionalRoleName(automationRoleName, Aws.REGION)}`,
      executionRoleName: Fn.conditionIf(
        crossAccount.logicalId,
        regionalRoleName(executionRoleName.valueAsString, Aws.REGION),
        Aws.NO_VALUE,
      ).toString(),
      // No custom resource in a pack: without the native resource, no remediation.
      remediationThroughConfigApi: false,
    });
  }
}
