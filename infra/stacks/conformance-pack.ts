import { stringify } from 'yaml';
import { StackConfigurationError } from './stack-configuration-error';

/** AWS Config rejects a conformance pack template body larger than this (`PutConformancePack`). */
export const MAX_TEMPLATE_BODY_BYTES = 51_200;

/** The only resource types this pack may hold. */
export const ALLOWED_RESOURCE_TYPES: readonly string[] = [
  'AWS::Config::ConfigRule',
  'AWS::Config::RemediationConfiguration',
];

/** The conformance pack template breaks one of its constraints. */
export class InvalidConformancePackError extends StackConfigurationError {
  constructor(problem: string) {
    super(`Invalid conformance pack template: ${problem}`);
    this.name = 'InvalidConformancePackError';
  }
}

/** A CloudFormation template, as far as the pack reads it. */
export interface CloudFormationTemplate {
  readonly Parameters?: Record<string, unknown>;
  readonly Conditions?: Record<string, unknown>;
  readonly Resources: Record<string, { readonly Type: string; readonly [key: string]: unknown }>;
  readonly [key: string]: unknown;
}

/** Every `Ref` target and every `${Name}` in an `Fn::Sub`, anywhere in a value. */
function references(value: unknown, found: Set<string> = new Set()): Set<string> {
  if (Array.isArray(value)) {
    value.forEach((item) => references(item, found));
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, inner] of Object.entries(value)) {
      if (key === 'Ref' && typeof inner === 'string') found.add(inner);
      if (key === 'Fn::Sub') {
        const text = Array.isArray(inner) ? inner[0] : inner;
        if (typeof text === 'string')
          for (const match of text.matchAll(/\$\{([A-Za-z0-9]+)\}/g)) found.add(match[1]);
      }
      references(inner, found);
    }
  }
  return found;
}

/**
 * Turns the synthesized `ConformancePackStack` template into the pack: keeps parameters, conditions and
 * resources only (no CDK metadata), then checks the pack's constraints.
 *
 * @returns the template as YAML, ready for `PutConformancePack` or `PutOrganizationConformancePack`
 * @throws InvalidConformancePackError when a resource type is not allowed, a parameter is never referenced
 *   or the body is over 51,200 bytes
 *
 * @example
 * ```ts
 * import { App } from 'aws-cdk-lib';
 * import { ConformancePackStack, conformancePackYaml, readDeploymentSettings } from 'client-vpn-connection-logging';
 *
 * const app = new App();
 * const stack = new ConformancePackStack(app, 'ClientVpnConnectionLoggingConformancePack', {
 *   settings: readDeploymentSettings(app.node),
 * });
 * const packYaml = conformancePackYaml(app.synth().getStackByName(stack.stackName).template);
 * console.log(packYaml);
 * ```
 */
export function conformancePackYaml(stackTemplate: CloudFormationTemplate): string {
  const resources = Object.fromEntries(
    Object.entries(stackTemplate.Resources).map(([id, resource]) => [
      id,
      Object.fromEntries(Object.entries(resource).filter(([key]) => key !== 'Metadata')),
    ]),
  ) as CloudFormationTemplate['Resources'];
  const pack: CloudFormationTemplate = {
    ...(stackTemplate.Parameters ? { Parameters: stackTemplate.Parameters } : {}),
    ...(stackTemplate.Conditions ? { Conditions: stackTemplate.Conditions } : {}),
    Resources: resources,
  };
  const body = stringify(pack, { lineWidth: 0 });
  checkConformancePack(pack, body);
  return body;
}

/**
 * Checks a conformance pack template: allowed resource types only, every parameter referenced, body
 * under the size limit.
 */
export function checkConformancePack(pack: CloudFormationTemplate, body: string): void {
  for (const [id, resource] of Object.entries(pack.Resources)) {
    if (!ALLOWED_RESOURCE_TYPES.includes(resource.Type)) {
      throw new InvalidConformancePackError(
        `resource ${id} is a ${resource.Type}; only ${ALLOWED_RESOURCE_TYPES.join(' and ')} are allowed`,
      );
    }
  }
  const referenced = references({ Resources: pack.Resources, Conditions: pack.Conditions });
  for (const name of Object.keys(pack.Parameters ?? {})) {
    if (!referenced.has(name)) throw new InvalidConformancePackError(`parameter ${name} is never referenced`);
  }
  const bytes = Buffer.byteLength(body, 'utf8');
  if (bytes >= MAX_TEMPLATE_BODY_BYTES) {
    throw new InvalidConformancePackError(
      `the body is ${bytes} bytes, over the ${MAX_TEMPLATE_BODY_BYTES}-byte limit`,
    );
  }
}
