/**
 * The settings a deployment of the rule and its remediation can take, whatever mode (one account,
 * organization, member account, conformance pack). The CDK app reads them from context
 * (`deployment-settings-context.ts`); other CDK apps pass them to the constructs directly.
 */

import type { DeployedRuleParameterName } from '../../rule/rule-parameter-declarations';
import type { RuleParameters } from '../../rule/types';

/** How often AWS Config runs the periodic sweep; the values `MaximumExecutionFrequency` accepts. */
export type ExecutionFrequency =
  'One_Hour' | 'Three_Hours' | 'Six_Hours' | 'Twelve_Hours' | 'TwentyFour_Hours';

/**
 * The rule parameters a deployment sets, one optional property per parameter that has a CDK context key
 * in `rule/rule-parameter-declarations.ts` (their meaning and defaults are declared there); an unset one
 * is left out of the rule's `InputParameters`, so the rule's own default applies.
 */
export type RuleParameterSettings = {
  readonly [K in DeployedRuleParameterName]?: RuleParameters[K];
};

/** The Config rule's own settings: its name, schedule and the parameters the Lambda reads. */
export interface RuleSettings extends RuleParameterSettings {
  /**
   * The Config rule's name (the organization rule's name in organization mode).
   * @default 'client-vpn-connection-logging'
   */
  readonly ruleName: string;
  /**
   * How often the periodic sweep runs.
   * @default 'TwentyFour_Hours'
   */
  readonly maximumExecutionFrequency: ExecutionFrequency;
}

/** The remediation configuration's settings and the runbook's static inputs. */
export interface RemediationSettings {
  /**
   * Run the runbook automatically on every NON_COMPLIANT endpoint.
   * @default false
   */
  readonly automatic: boolean;
  /**
   * Attempts per endpoint within `retryAttemptSeconds` before automatic remediation gives up (1 to 25).
   * @default 5
   */
  readonly maximumAutomaticAttempts: number;
  /**
   * The window, in seconds, over which `maximumAutomaticAttempts` are counted.
   * @default 60
   */
  readonly retryAttemptSeconds: number;
  /**
   * The share of NON_COMPLIANT endpoints remediated at once, in percent (1 to 100).
   * @default 10
   */
  readonly concurrentExecutionRatePercentage: number;
  /**
   * The share of failed executions, in percent (1 to 100), after which a remediation batch stops.
   * @default 10
   */
  readonly errorPercentage: number;
  /**
   * Runbook input `LogGroupName`: the group created when an endpoint logs nowhere.
   * @default '/aws/clientvpn'
   */
  readonly logGroupName: string;
  /**
   * Runbook input `LogStreamName`.
   * @default - none: the Client VPN service creates a stream
   */
  readonly logStreamName?: string;
  /**
   * Runbook input `RetentionInDays`: retention of a created group, and the floor an existing one is raised to.
   * @default 365
   */
  readonly retentionInDays: number;
  /**
   * Runbook input `KmsKeyArn`: the KMS key to encrypt the log group with.
   * @default - none: a created group gets no KMS key, an existing one keeps its own
   */
  readonly kmsKeyArn?: string;
}

/** Organization mode: where the StackSet puts the member-account stack. */
export interface MemberDeployment {
  /** The organizational units (or the root, `r-...`) whose accounts get the member-account stack. */
  readonly organizationalUnitIds: readonly string[];
  /** The regions the member-account stack goes to in each account. */
  readonly regions: readonly string[];
}

/** Everything one synthesis of the app needs. */
export interface DeploymentSettings {
  /** The Config rule's settings. */
  readonly rule: RuleSettings;
  /** The remediation's settings. */
  readonly remediation: RemediationSettings;
  /**
   * Days the rule Lambda's own log group keeps its events.
   * @default 365
   */
  readonly functionLogRetentionDays: number;
  /**
   * Name of the SSM Automation document; the same in every account so that one conformance pack fits all.
   * @default 'EnableClientVpnConnectionLogging'
   */
  readonly documentName: string;
  /**
   * Organization mode: base name (at most 48 characters) of the role the central Lambda assumes in each
   * member account; the role in region R is `<name>-R` (see `regional-role-name.ts`).
   * @default 'ClientVpnConnectionLoggingEvaluation'
   */
  readonly executionRoleName: string;
  /**
   * Organization mode: base name (at most 48 characters) of the central Lambda's execution role, which
   * member roles trust; the role in region R is `<name>-R`.
   * @default 'ClientVpnConnectionLoggingRuleFunction'
   */
  readonly centralFunctionRoleName: string;
  /**
   * Base name (at most 48 characters) of the runbook's automation role in member accounts and in the
   * one-account stack; the role in region R is `<name>-R`, the name the conformance pack builds.
   * @default 'ClientVpnConnectionLoggingRemediation'
   */
  readonly memberAutomationRoleName: string;
  /**
   * Organization mode: concurrent executions reserved for the central Lambda (1 to 1000), which are
   * also the most it runs at once, so invocations from many accounts cannot take the administrator
   * account's whole Lambda concurrency. Throttled invocations wait in Lambda's asynchronous queue.
   * @default 10
   */
  readonly centralFunctionReservedConcurrency: number;
  /**
   * Organization mode: create the organization Config rule. False when the organization conformance
   * pack carries the rule instead (it also carries the remediation, which an organization rule cannot).
   * @default true
   */
  readonly organizationRule: boolean;
  /**
   * Organization mode: accounts the organization rule leaves out.
   * @default []
   */
  readonly excludedAccounts: readonly string[];
  /**
   * Organization mode: deploy the member-account stack through a service-managed StackSet from the
   * organization stack.
   * @default - no StackSet; deploy the member-account template yourself
   */
  readonly memberDeployment?: MemberDeployment;
  /**
   * The saved queries, metric filters, alarm and dashboard over the connection logs.
   * @default - none (`connectionInsights` is off)
   */
  readonly connectionInsights?: ConnectionInsightsSettings;
}

/** Whether the stacks add the connection insights, and their alarm's settings. */
export interface ConnectionInsightsSettings {
  /** `-c connectionInsights=true`: add the queries, filters, alarm and dashboard. */
  readonly enabled: boolean;
  /** `connectionInsightsLogGroups`: groups beyond the managed one, comma-separated. */
  readonly extraLogGroupNames: readonly string[];
  /** `failedAttemptsThreshold`: failed attempts in one period that raise the alarm (1 to 100000). */
  readonly failedAttemptsThreshold: number;
  /** `failedAttemptsPeriodMinutes`: the alarm's period (1 to 1440). */
  readonly failedAttemptsPeriodMinutes: number;
  /**
   * `failedAttemptsAlarmTopicArn`: an existing topic to notify instead of one the stack creates.
   * @default - a topic encrypted with a key of its own is created
   */
  readonly failedAttemptsAlarmTopicArn?: string;
}
