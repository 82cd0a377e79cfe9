import { Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { ConstructConfigurationError } from './construct-configuration-error';

/** A resource value that cdk-nag's finding IDs cannot be predicted for (only `Ref` and `Fn::Join` are handled). */
export class UnsupportedNagResourceError extends ConstructConfigurationError {
  constructor(value: unknown) {
    super(`Cannot write a cdk-nag finding ID for the resource ${JSON.stringify(value)}`);
    this.name = 'UnsupportedNagResourceError';
  }
}

function flatten(node: unknown): string {
  // cdk-nag's own flattening: a Ref becomes <Name>, a Join is joined, Fn::Sub's ${ } become < >.
  if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/\}/g, '>');
  if (typeof node === 'object' && node !== null) {
    if ('Ref' in node && typeof node.Ref === 'string') return `<${node.Ref}>`;
    if ('Fn::Join' in node && Array.isArray(node['Fn::Join'])) {
      const [separator, parts] = node['Fn::Join'] as [string, unknown[]];
      return parts.map(flatten).join(separator);
    }
  }
  throw new UnsupportedNagResourceError(node);
}

/**
 * The resource as it appears in a cdk-nag `AwsSolutions-IAM5[Resource::…]` finding ID, for the
 * construct's stack: `arn:<AWS::Partition>:…:<AWS::Region>:…` in an environment-agnostic stack, the
 * literal region and account in one with a concrete environment. Acknowledgements built from it hold
 * in both.
 *
 * @param scope - any construct of the stack the resource is resolved in
 * @param resource - the statement's resource, tokens included
 * @throws UnsupportedNagResourceError when the resource resolves to something other than Ref/Fn::Join
 */
export function nagFindingResource(scope: IConstruct, resource: string): string {
  return flatten(Stack.of(scope).resolve(resource));
}
