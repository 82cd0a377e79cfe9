import { readFileSync } from 'node:fs';
import type {
  IPolicyValidationContextBeta1,
  IPolicyValidationPlugin,
  IPolicyValidationPluginBeta1,
  PolicyValidationPluginReportBeta1,
  PolicyViolationBeta1,
} from 'aws-cdk-lib';
import { DEFAULT_RULE_PARAMETERS } from '../rule/parameters';
import { type PolicyParameters, POLICY_RULE_NAMES, policyRules } from './connection-logging-policy';
import { gatherTemplates, UNSEEN_CONTENT_RULE } from './cloudformation-check';
import { evaluateTemplatesWithGuard } from './guard-evaluation';
import type { TemplateFile } from './template-files';

// CDK writes a stack without resources with no Resources section at all: nothing to judge, not an error.
function stackTemplate(file: string): TemplateFile {
  return {
    path: file,
    displayName: file,
    body: JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>,
  };
}

/** Options of {@link ConnectionLoggingPolicyValidationPlugin}. */
export interface ConnectionLoggingPolicyValidationPluginProps {
  /**
   * The rule parameters, the same as the Config rule's, so the preventive and the detective control agree.
   * @default the Config rule's defaults: no minimum retention, no KMS key, no name prefix
   */
  readonly parameters?: Partial<PolicyParameters>;
  /**
   * The cfn-guard binary.
   * @default the one inside @cdklabs/cdk-validator-cfnguard
   */
  readonly guardBinary?: string;
}

/**
 * The CDK check for your own app, a CDK policy-validation plugin: at synthesis it runs the Client VPN connection-logging Guard policy
 * (the file the Guard hook and `check-template` run) on every stack's template and every nested
 * stack's template, so a `CfnClientVpnEndpoint` without connection logging fails `cdk synth`. A `Ref`
 * to a `CfnLogGroup` of the same stack is resolved (the template holds it as `Ref`); warnings do not
 * fail synthesis. Content the policy cannot see (a transform, a macro, a remote nested stack) fails it.
 *
 * Add it with `Validations.of(app).addPlugins(new ConnectionLoggingPolicyValidationPlugin())`; it also
 * implements the deprecated `policyValidationBeta1` interface.
 *
 * @example
 * ```ts
 * import { App, Validations } from 'aws-cdk-lib';
 * import { ConnectionLoggingPolicyValidationPlugin } from 'client-vpn-connection-logging';
 *
 * const app = new App();
 * // The same parameters as the Config rule's, so both controls judge alike.
 * Validations.of(app).addPlugins(
 *   new ConnectionLoggingPolicyValidationPlugin({ parameters: { minRetentionDays: 365 } }),
 * );
 * ```
 */
export class ConnectionLoggingPolicyValidationPlugin
  implements IPolicyValidationPluginBeta1, IPolicyValidationPlugin
{
  /** The plugin's name in CDK's validation report. */
  public readonly name = 'client-vpn-connection-logging';
  /** The Guard rule names the check reports. */
  public readonly ruleIds: string[] = [...Object.values(POLICY_RULE_NAMES), UNSEEN_CONTENT_RULE];
  private readonly parameters: PolicyParameters;
  private readonly guardBinary?: string;

  /** @param props - rule parameters and the cfn-guard binary */
  public constructor(props: ConnectionLoggingPolicyValidationPluginProps = {}) {
    this.parameters = { ...DEFAULT_RULE_PARAMETERS, ...props.parameters };
    this.guardBinary = props.guardBinary;
  }

  /**
   * Evaluates the synthesised templates.
   *
   * @param context - the templates CDK synthesised
   * @returns one violation per rule, listing the endpoints that break it; success unless a failure
   */
  public validate(context: IPolicyValidationContextBeta1): PolicyValidationPluginReportBeta1 {
    // CDK gives the templates of stacks only: a NestedStack's template is a file asset of its parent,
    // so it is found through the parent (gatherTemplates) and judged as well.
    const gathered = gatherTemplates(context.templatePaths.map(stackTemplate));
    const findings = evaluateTemplatesWithGuard({
      templates: gathered.templates.map((template) => ({ name: template.path, body: template.body })),
      parameters: this.parameters,
      guardBinary: this.guardBinary,
    });
    const rules = policyRules(this.parameters);
    const violations = new Map<string, PolicyViolationBeta1>();
    for (const finding of findings) {
      const rule = rules[finding.rule];
      const violation = violations.get(finding.rule) ?? {
        ruleName: finding.rule,
        description: rule ? `Client VPN endpoint: ${rule.violation}` : finding.message,
        fix: rule?.fix,
        severity: finding.severity === 'failure' ? 'error' : 'warning',
        violatingResources: [],
      };
      violation.violatingResources.push({
        resourceLogicalId: finding.logicalId ?? '(template)',
        templatePath: finding.template,
        locations: ['Properties/ConnectionLogOptions'],
      });
      violations.set(finding.rule, violation);
    }
    for (const content of gathered.unseen) {
      const violation = violations.get(UNSEEN_CONTENT_RULE) ?? {
        ruleName: UNSEEN_CONTENT_RULE,
        description: `${content.reason}: the Client VPN connection-logging policy cannot judge what it makes`,
        fix: `check ${content.check}`,
        severity: 'error',
        violatingResources: [],
      };
      violation.violatingResources.push({
        resourceLogicalId: /^Resources\/([^/]+)/.exec(content.location)?.[1] ?? '(template)',
        templatePath: content.template,
        locations: [content.location],
      });
      violations.set(UNSEEN_CONTENT_RULE, violation);
    }
    return {
      success: gathered.unseen.length === 0 && findings.every((finding) => finding.severity !== 'failure'),
      violations: [...violations.values()],
    };
  }
}
