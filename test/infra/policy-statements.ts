import type { Template } from 'aws-cdk-lib/assertions';

/** One IAM statement as it appears in a synthesized template. */
export interface TemplateStatement {
  readonly Sid?: string;
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Condition?: Record<string, unknown>;
  readonly Principal?: unknown;
}

/**
 * Every statement of every `AWS::IAM::Policy` in a template, keyed by the logical ID of the role it is
 * attached to.
 */
export function policyStatements(template: Template): Map<string, TemplateStatement[]> {
  const byRole = new Map<string, TemplateStatement[]>();
  for (const policy of Object.values(template.findResources('AWS::IAM::Policy'))) {
    const properties = policy.Properties as {
      PolicyDocument: { Statement: TemplateStatement[] };
      Roles: Array<{ Ref: string }>;
    };
    for (const role of properties.Roles) {
      byRole.set(role.Ref, [...(byRole.get(role.Ref) ?? []), ...properties.PolicyDocument.Statement]);
    }
  }
  return byRole;
}

/** A statement's actions as a list. */
export function actionsOf(statement: TemplateStatement): string[] {
  return Array.isArray(statement.Action) ? statement.Action : [statement.Action];
}

/** The logical ID of the only role whose name or description matches, failing when there is not exactly one. */
export function roleId(template: Template, description: RegExp): string {
  const ids = Object.entries(template.findResources('AWS::IAM::Role'))
    .filter(([, role]) => description.test(String((role.Properties as { Description?: string }).Description)))
    .map(([id]) => id);
  if (ids.length !== 1) throw new Error(`expected one role described ${description}, found ${ids.length}`);
  return ids[0];
}

/**
 * Actions that the Service Authorization Reference lists without any resource type, so `*` is the only
 * valid resource, and `config:DescribeConfigRules`, which the drift trigger calls without rule names (the
 * member copy's suffix is unknown), a request that names no resource. Any other action with
 * `Resource: '*'` is a least-privilege failure.
 */
export const ACTIONS_WITHOUT_RESOURCE_LEVEL_PERMISSIONS: readonly string[] = [
  'config:PutEvaluations',
  'config:GetResourceConfigHistory',
  'ec2:DescribeClientVpnEndpoints',
  'ec2:DescribeClientVpnConnections',
  'config:DescribeConfigRules',
];
