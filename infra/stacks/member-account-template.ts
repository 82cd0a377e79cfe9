import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import type { DeploymentSettings } from '../constructs/deployment-settings';
import { MemberAccountStack } from './member-account-stack';
import { StackConfigurationError } from './stack-configuration-error';

/** CloudFormation rejects a `TemplateBody` larger than this; a larger template must go through S3. */
export const MAX_TEMPLATE_BODY_BYTES = 51_200;

/** The member-account template no longer fits in a StackSet's `TemplateBody`. */
export class TemplateBodyTooLargeError extends StackConfigurationError {
  constructor(bytes: number) {
    super(
      `The member-account template is ${bytes} bytes, over the ${MAX_TEMPLATE_BODY_BYTES}-byte TemplateBody limit: deploy cdk.out/ClientVpnConnectionLoggingMember.template.json from S3 instead.`,
    );
    this.name = 'TemplateBodyTooLargeError';
  }
}

/**
 * The member-account stack's template as a JSON string, synthesised in an app of its own, for the
 * organization stack's StackSet. The stack has no assets, so its template is complete on its own.
 *
 * @throws TemplateBodyTooLargeError when the template exceeds the 51,200-byte `TemplateBody` limit
 *
 * @example
 * ```ts
 * import { App } from 'aws-cdk-lib';
 * import { memberAccountTemplateBody, readDeploymentSettings } from 'client-vpn-connection-logging';
 *
 * const templateBody = memberAccountTemplateBody(readDeploymentSettings(new App().node));
 * // The StackSet's TemplateBody: at most 51,200 bytes, or it throws.
 * console.log(templateBody.length);
 * ```
 */
export function memberAccountTemplateBody(settings: DeploymentSettings): string {
  // An output directory of its own: under the CDK CLI, a bare App would write into the CLI's cdk.out.
  const app = new App({ outdir: mkdtempSync(path.join(tmpdir(), 'member-template-')) });
  const stack = new MemberAccountStack(app, 'Member', {
    settings,
    description:
      'Evaluation role and remediation runbook for Client VPN connection logging (member accounts)',
  });
  const body = JSON.stringify(app.synth().getStackByName(stack.stackName).template);
  if (Buffer.byteLength(body) > MAX_TEMPLATE_BODY_BYTES)
    throw new TemplateBodyTooLargeError(Buffer.byteLength(body));
  return body;
}
