import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildApp } from './app';
import { conformancePackYaml, type CloudFormationTemplate } from './stacks/conformance-pack';
import { ConformancePackStack } from './stacks/conformance-pack-stack';
import { readDeploymentSettings } from './stacks/deployment-settings-context';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { GUARD_HOOK_TYPE, regionHasResourceType } from './constructs/cloudformation-resource-availability';

/** The stack name of the template the conformance pack body is cut from. */
export const CONFORMANCE_PACK_STACK_NAME = 'ClientVpnConnectionLoggingConformancePack';

/** One synthesis of the app whose templates are checked: a name and the context it runs with. */
export interface TemplateSynthesis {
  /** The synthesis's directory name. */
  readonly name: string;
  /** The CDK context, as `-c key=value` would give it. */
  readonly context: Readonly<Record<string, unknown>>;
  /**
   * The context entries that change in a synthesis for one region: values that name a region or
   * partition, and options the region cannot have.
   * @default - the same context in every region
   */
  readonly regionalContext?: (region: string, partition: string) => Readonly<Record<string, unknown>>;
}

/** The example key's ID in {@link SHIPPED_SYNTHESES}' all-options synthesis. */
const EXAMPLE_KMS_KEY = 'key/1234abcd-12ab-34cd-56ef-1234567890ab';

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
      remediationKmsKeyArn: `arn:aws:kms:eu-west-1:123456789012:${EXAMPLE_KMS_KEY}`,
      logGroupNamePrefix: '/aws/clientvpn/',
      remediationLogGroupName: '/aws/clientvpn/connections',
      remediationLogStreamName: 'connections',
      minRetentionDays: '365',
      maximumExecutionFrequency: 'One_Hour',
      excludedAccounts: '111111111111',
      centralFunctionReservedConcurrency: '20',
    },
    // The key and the members in the region synthesised for, as a deployment there would have them.
    regionalContext: (region, partition) => ({
      memberRegions: region,
      remediationKmsKeyArn: `arn:${partition}:kms:${region}:123456789012:${EXAMPLE_KMS_KEY}`,
    }),
  },
  {
    name: 'every-member-region-and-guard-hook',
    context: {
      memberOrganizationalUnitIds: 'ou-ab12-cdefgh34',
      memberRegions: 'us-east-1,us-west-2,eu-west-1,eu-central-1,ap-northeast-1,ap-southeast-2,sa-east-1',
      guardHook: 'true',
      guardHookFailureMode: 'WARN',
    },
    // Where CloudFormation has no Guard hook type, asking for one is refused at synthesis.
    regionalContext: (region) => ({
      memberRegions: region,
      guardHook: String(regionHasResourceType(region, GUARD_HOOK_TYPE) !== false),
    }),
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
 * @param region - the region the pack is for; without one, a pack for every region with the native
 *   remediation resource (in a region without it, the pack goes without remediation)
 * @returns the pack body, YAML
 */
export function synthesizeConformancePack(
  context: Readonly<Record<string, unknown>>,
  outdir: string,
  region?: string,
): string {
  const packApp = new App({ outdir, context: { ...context } });
  Validations.of(packApp).addPlugins(new AwsSolutionsChecks(packApp));
  const packStack = new ConformancePackStack(packApp, CONFORMANCE_PACK_STACK_NAME, {
    env: region === undefined ? undefined : { region },
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
 * The context of a synthesis, for a region or for none (environment-agnostic).
 *
 * @param synthesis - one of {@link SHIPPED_SYNTHESES}
 * @param region - the region synthesised for, if any
 */
export function synthesisContext(
  synthesis: TemplateSynthesis,
  region?: string,
): Readonly<Record<string, unknown>> {
  if (region === undefined || synthesis.regionalContext === undefined) return synthesis.context;
  return {
    ...synthesis.context,
    ...synthesis.regionalContext(region, RegionInfo.get(region).partition ?? 'aws'),
  };
}

/**
 * Synthesises every template the project ships, once per {@link SHIPPED_SYNTHESES} entry, into
 * `<dir>/<synthesis>/`: each stack's template, each StackSet's template body
 * (`<stack>.<StackSet>.template-body.json`) and the conformance pack (`conformance-pack.yaml`). The Lambda
 * bundle is not built: it is an asset beside the template, not part of it.
 *
 * @param dir - an empty or disposable directory; it is emptied first
 * @param region - the region to synthesise for, as `cdk deploy` with that region would; none gives
 *   environment-agnostic templates
 * @returns the paths of the templates written
 */
export function writeShippedTemplates(dir: string, region?: string): string[] {
  rmSync(dir, { recursive: true, force: true });
  const written: string[] = [];
  for (const synthesis of SHIPPED_SYNTHESES) {
    const outdir = path.join(dir, synthesis.name);
    const context = synthesisContext(synthesis, region);
    // aws:cdk:bundling-stacks empty: the CDK's own switch to skip asset bundling.
    const assembly = buildApp(
      { outdir, context: { ...context, 'aws:cdk:bundling-stacks': [] } },
      { region },
    ).synth();
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
    writeFileSync(packFile, synthesizeConformancePack(context, packDir, region));
    written.push(packFile);
  }
  return written;
}
