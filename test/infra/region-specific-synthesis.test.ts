import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Stack, Token } from 'aws-cdk-lib';
import { parse } from 'yaml';
import { buildApp, STACK_NAMES } from '../../infra/app';
import { GuardHookUnavailableError } from '../../infra/stacks/guard-hook-stack';
import {
  SHIPPED_SYNTHESES,
  synthesisContext,
  synthesizeConformancePack,
  writeShippedTemplates,
} from '../../infra/shipped-templates';

/** Every service principal of a template: in policy documents' Principal.Service, and in Lambda permissions. */
function servicePrincipals(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(servicePrincipals);
  if (typeof node !== 'object' || node === null) return [];
  const record = node as Record<string, unknown>;
  const found: string[] = [];
  const principal = record.Principal as { Service?: unknown } | string | undefined;
  if (typeof principal === 'object' && principal !== null && principal.Service !== undefined)
    found.push(...[principal.Service].flat().map(String));
  if (record.Type === 'AWS::Lambda::Permission')
    found.push(String((record.Properties as { Principal: unknown }).Principal));
  return [...found, ...Object.values(record).flatMap(servicePrincipals)];
}

const temporary = (prefix: string) => mkdtempSync(path.join(tmpdir(), prefix));
const NO_BUNDLING = { 'aws:cdk:bundling-stacks': [] };

describe('buildApp for a region', () => {
  const saved = process.env.CDK_DEFAULT_REGION;
  afterEach(() => {
    if (saved === undefined) delete process.env.CDK_DEFAULT_REGION;
    else process.env.CDK_DEFAULT_REGION = saved;
  });

  it('synthesises for the region cdk deploy sets in CDK_DEFAULT_REGION', () => {
    // Prepare
    process.env.CDK_DEFAULT_REGION = 'ca-central-1';
    // Act
    const app = buildApp({ outdir: temporary('region-env-'), context: NO_BUNDLING });
    // Assess
    for (const name of [STACK_NAMES.account, STACK_NAMES.organization, STACK_NAMES.member])
      expect((app.node.findChild(name) as Stack).region).toBe('ca-central-1');
  });

  it('stays environment-agnostic without a region', () => {
    delete process.env.CDK_DEFAULT_REGION;
    const app = buildApp({ outdir: temporary('region-none-'), context: NO_BUNDLING });
    expect(Token.isUnresolved((app.node.findChild(STACK_NAMES.account) as Stack).region)).toBe(true);
  });

  it.each(['cn-north-1', 'cn-northwest-1', 'us-gov-east-1', 'us-gov-west-1', 'xx-future-1'])(
    'refuses a Guard hook in %s, where CloudFormation has no AWS::CloudFormation::GuardHook',
    (region) => {
      // Act / Assess
      expect(() =>
        buildApp(
          { outdir: temporary('region-hook-'), context: { ...NO_BUNDLING, guardHook: 'true' } },
          { region },
        ),
      ).toThrow(new GuardHookUnavailableError(region));
      expect(new GuardHookUnavailableError(region).message).toContain(
        `CloudFormation has no AWS::CloudFormation::GuardHook in ${region}`,
      );
    },
  );

  it('adds the Guard hook where CloudFormation has its type', () => {
    const app = buildApp(
      { outdir: temporary('region-hook-ok-'), context: { ...NO_BUNDLING, guardHook: 'true' } },
      { region: 'ca-central-1' },
    );
    expect(app.node.tryFindChild(STACK_NAMES.guardHook)).toBeDefined();
  });
});

describe('synthesizeConformancePack for a region', () => {
  it('has the rule without a remediation, nor its parameters, where CloudFormation lacks the native resource', () => {
    // Act
    const pack = parse(synthesizeConformancePack({}, temporary('pack-region-'), 'ca-central-1')) as {
      Parameters: Record<string, unknown>;
      Resources: Record<string, { Type: string }>;
    };
    // Assess
    expect(Object.values(pack.Resources).map((resource) => resource.Type)).toEqual([
      'AWS::Config::ConfigRule',
    ]);
    expect(Object.keys(pack.Parameters)).not.toContain('RemediationDocumentName');
    expect(Object.keys(pack.Parameters)).not.toContain('AutomationAssumeRoleName');
  });

  it('keeps the remediation in an environment-agnostic pack', () => {
    const pack = parse(synthesizeConformancePack({}, temporary('pack-any-'))) as {
      Resources: Record<string, { Type: string }>;
    };
    expect(Object.values(pack.Resources).map((resource) => resource.Type)).toContain(
      'AWS::Config::RemediationConfiguration',
    );
  });
});

describe('templates synthesised for China and GovCloud', () => {
  it.each([
    ['cn-northwest-1', 'aws-cn'],
    ['us-gov-west-1', 'aws-us-gov'],
  ])(
    'leave no literal arn:aws: and only <service>.amazonaws.com principals, every shipped synthesis, in %s',
    (region, partition) => {
      // Act: every shipped template, StackSet bodies and conformance packs included.
      const files = writeShippedTemplates(temporary(`partition-${region}-`), region);
      // Assess
      const texts = files.map((file) => readFileSync(file, 'utf8'));
      expect(files.filter((_file, index) => texts[index].includes('arn:aws:'))).toEqual([]);
      // The example KMS key of all-options follows the partition too.
      expect(texts.join('\n')).toContain(`arn:${partition}:kms:${region}:`);
      // Service principals are `<service>.amazonaws.com` in every partition, as aws-cdk-lib renders them:
      // https://docs.aws.amazon.com/cdk/api/v2/docs/aws-cdk-lib.aws_iam.ServicePrincipal.html
      const principals = files.flatMap((file, index) =>
        servicePrincipals(file.endsWith('.yaml') ? parse(texts[index]) : JSON.parse(texts[index])),
      );
      expect(principals.length).toBeGreaterThan(0);
      for (const principal of principals)
        expect(principal).toMatch(/^[a-z0-9-]+(\.[a-z0-9-]+)*\.amazonaws\.com$/);
    },
    240_000,
  );

  it('gives the all-options synthesis a key and member region of the region synthesised for', () => {
    const allOptions = SHIPPED_SYNTHESES.find((synthesis) => synthesis.name === 'all-options');
    expect(allOptions).toBeDefined();
    expect(synthesisContext(allOptions!, 'cn-north-1')).toMatchObject({
      memberRegions: 'cn-north-1',
      remediationKmsKeyArn: expect.stringMatching(/^arn:aws-cn:kms:cn-north-1:/),
    });
  });
});
