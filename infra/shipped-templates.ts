import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildApp } from './app';
import { conformancePackYaml, type CloudFormationTemplate } from './stacks/conformance-pack';
import { ConformancePackStack } from './stacks/conformance-pack-stack';
import { readDeploymentSettings } from './stacks/context-props';

/** The stack name of the template the conformance pack body is cut from. */
export const CONFORMANCE_PACK_STACK_NAME = 'ClientVpnConnectionLoggingConformancePack';

/** One synthesis of the app whose templates are checked: a name and the context it runs with. */
export interface TemplateSynthesis {
  /** The synthesis's directory name. */
  readonly name: string;
  /** The CDK context, as `-c key=value` would give it. */
  readonly context: Readonly<Record<string, unknown>>;
}

/**
 * The syntheses whose templates the project ships, checked by `npm run lint:templates`: the defaults;
 * every option that adds or changes resources at once (the member StackSet in every linted region,
 * automatic remediation, a KMS key, a log group prefix, a stream name, excluded accounts); the
 * organization stack without its organization rule, as deployed beside the conformance pack; and the
 * connection insights (`connectionInsights=true`) in the account and member stacks.
 */
export const SHIPPED_SYNTHESES: readonly TemplateSynthesis[] = [
  { name: 'defaults', context: {} },
  {
    name: 'all-options',
    context: {
      memberOrganizationalUnitIds: 'ou-ab12-cdefgh34,r-ab12',
      // A log group can only use a key of its own region, so a KMS key limits the members to its region.
      memberRegions: 'eu-west-1',
      automaticRemediation: 'true',
      requireKmsEncryption: 'true',
      remediationKmsKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      logGroupNamePrefix: '/aws/clientvpn/',
      remediationLogGroupName: '/aws/clientvpn/connections',
      remediationLogStreamName: 'connections',
      minRetentionDays: '365',
      maximumExecutionFrequency: 'One_Hour',
      excludedAccounts: '111111111111',
      centralFunctionReservedConcurrency: '20',
    },
  },
  {
    name: 'every-member-region-and-guard-hook',
    context: {
      memberOrganizationalUnitIds: 'ou-ab12-cdefgh34',
      memberRegions: 'us-east-1,us-west-2,eu-west-1,eu-central-1,ap-northeast-1,ap-southeast-2,sa-east-1',
      guardHook: 'true',
      guardHookFailureMode: 'WARN',
    },
  },
  { name: 'conformance-pack-instead-of-organization-rule', context: { organizationRule: 'false' } },
  // The connection insights, in the account stack and in the member StackSet of every linted region.
  {
    name: 'connection-insights',
    context: {
      connectionInsights: 'true',
      connectionInsightsLogGroups: '/aws/clientvpn-legacy,/vpn/contractors',
      failedAttemptsThreshold: '10',
      failedAttemptsPeriodMinutes: '15',
      memberOrganizationalUnitIds: 'ou-ab12-cdefgh34',
      memberRegions: 'us-east-1,us-west-2,eu-west-1,eu-central-1,ap-northeast-1,ap-southeast-2,sa-east-1',
    },
  },
];

/**
 * Synthesises the conformance pack template and cuts the pack body out of it (checked by
 * `conformancePackYaml`), as `npm run synth` writes it to `dist/conformance-pack.yaml`.
 *
 * @param context - the CDK context
 * @param outdir - where the pack's CDK app writes its assembly
 * @returns the pack body, YAML
 */
export function synthesizeConformancePack(
  context: Readonly<Record<string, unknown>>,
  outdir: string,
): string {
  const packApp = new App({ outdir, context: { ...context } });
  Validations.of(packApp).addPlugins(new AwsSolutionsChecks(packApp));
  const packStack = new ConformancePackStack(packApp, CONFORMANCE_PACK_STACK_NAME, {
    settings: readDeploymentSettings(packApp.node),
  });
  return conformancePackYaml(
    packApp.synth().getStackByName(packStack.stackName).template as CloudFormationTemplate,
  );
}

/**
 * The templates a CloudFormation template deploys through StackSets: each `AWS::CloudFormation::StackSet`'s
 * `TemplateBody`, parsed, by the StackSet's logical ID.
 *
 * @param template - a synthesised stack template
 */
export function stackSetTemplateBodies(template: CloudFormationTemplate): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(template.Resources)
      .filter(([, resource]) => resource.Type === 'AWS::CloudFormation::StackSet')
      .map(([id, resource]) => {
        const body = (resource.Properties as { TemplateBody?: unknown } | undefined)?.TemplateBody;
        if (typeof body !== 'string') throw new Error(`StackSet ${id} has no literal TemplateBody to check`);
        return [id, JSON.parse(body) as unknown];
      }),
  );
}

/**
 * Synthesises every template the project ships, once per {@link SHIPPED_SYNTHESES} entry, into
 * `<dir>/<synthesis>/`: each stack's template, each StackSet's template body
 * (`<stack>.<StackSet>.template-body.json`) and the conformance pack (`conformance-pack.yaml`). The Lambda
 * bundle is not built: it is an asset beside the template, not part of it.
 *
 * @param dir - an empty or disposable directory; it is emptied first
 * @returns the paths of the templates written
 */
export function writeShippedTemplates(dir: string): string[] {
  rmSync(dir, { recursive: true, force: true });
  const written: string[] = [];
  for (const synthesis of SHIPPED_SYNTHESES) {
    const outdir = path.join(dir, synthesis.name);
    // aws:cdk:bundling-stacks empty: the CDK's own switch to skip asset bundling.
    const assembly = buildApp({
      outdir,
      context: { ...synthesis.context, 'aws:cdk:bundling-stacks': [] },
    }).synth();
    for (const stack of assembly.stacks) {
      written.push(path.join(outdir, stack.templateFile));
      const bodies = stackSetTemplateBodies(stack.template as CloudFormationTemplate);
      for (const [id, body] of Object.entries(bodies)) {
        const file = path.join(outdir, `${stack.stackName}.${id}.template-body.json`);
        writeFileSync(file, JSON.stringify(body, undefined, 1));
        written.push(file);
      }
    }
    const packDir = path.join(outdir, 'conformance-pack');
    mkdirSync(packDir, { recursive: true });
    const packFile = path.join(outdir, 'conformance-pack.yaml');
    writeFileSync(packFile, synthesizeConformancePack(synthesis.context, packDir));
    written.push(packFile);
  }
  return written;
}
