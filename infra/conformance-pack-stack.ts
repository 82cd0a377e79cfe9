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
import { ConnectionLoggingRule } from './connection-logging-rule';
import type { DeploymentSettings } from './deployment-settings';

/** Props of {@link ConformancePackStack}. */
export interface ConformancePackStackProps extends StackProps {
  /** The deployment's settings: rule parameters and remediation settings are written into the pack. */
  readonly settings: DeploymentSettings;
}

/**
 * The conformance pack template, built from the same rule construct as the account stack: only the
 * Config rule and its remediation, with the deployed pieces (Lambda, document, roles) as parameters.
 * `conformance-pack.ts` turns its template into `dist/conformance-pack.yaml`; it is never deployed as a stack.
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
      allowedPattern: '^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\\d{12}:function:[A-Za-z0-9_-]+$',
    });
    const documentName = new CfnParameter(this, 'RemediationDocumentName', {
      type: 'String',
      description: 'Name of the EnableClientVpnConnectionLogging SSM Automation document in each account',
      default: settings.documentName,
    });
    const automationRoleName = new CfnParameter(this, 'AutomationAssumeRoleName', {
      type: 'String',
      description:
        "Name of the runbook's automation role in each account (an organization pack needs the same name everywhere)",
      default: settings.memberAutomationRoleName,
    });
    const executionRoleName = new CfnParameter(this, 'ExecutionRoleName', {
      type: 'String',
      description:
        'Organization packs: the role the central Lambda assumes in each account; empty for one account',
      default: '',
    });
    const crossAccount = new CfnCondition(this, 'HasExecutionRoleName', {
      expression: Fn.conditionNot(Fn.conditionEquals(executionRoleName.valueAsString, '')),
    });

    new ConnectionLoggingRule(this, 'ClientVpnLogging', {
      rule: settings.rule,
      remediation: settings.remediation,
      functionArn: functionArn.valueAsString,
      documentName: documentName.valueAsString,
      // The role is per account: its ARN is built in each account from the shared name.
      automationRoleArn: `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:role/${automationRoleName.valueAsString}`,
      executionRoleName: Fn.conditionIf(
        crossAccount.logicalId,
        executionRoleName.valueAsString,
        Aws.NO_VALUE,
      ).toString(),
    });
  }
}
