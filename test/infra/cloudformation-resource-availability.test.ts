import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Aws } from 'aws-cdk-lib';
import { parse } from 'yaml';
import { buildApp } from '../../infra/app';
import { cfnLintMissingTypesByRegion, regionGroups } from '../../infra/cfn-lint-regions';
import {
  CLOUDFORMATION_REGIONS,
  GUARD_HOOK_TYPE,
  regionHasResourceType,
  REGIONS_WITHOUT_RESOURCE_TYPE,
  REMEDIATION_CONFIGURATION_TYPE,
} from '../../infra/constructs/cloudformation-resource-availability';
import { synthesizeConformancePack } from '../../infra/shipped-templates';

/** Every resource type of every template of one synthesis of the app (bundling skipped). */
function synthesisTypes(context: Record<string, unknown>, region?: string): string[] {
  const outdir = mkdtempSync(path.join(tmpdir(), 'availability-'));
  const assembly = buildApp(
    { outdir, context: { ...context, 'aws:cdk:bundling-stacks': [] } },
    { region },
  ).synth();
  const types = assembly.stacks.flatMap((stack) =>
    Object.values((stack.template as { Resources: Record<string, { Type: string }> }).Resources).map(
      (resource) => resource.Type,
    ),
  );
  return types;
}

const EVERY_OPTION = {
  guardHook: 'true',
  memberOrganizationalUnitIds: 'ou-ab12-cdefgh34',
  memberRegions: 'ca-central-1',
  automaticRemediation: 'true',
};

describe('REGIONS_WITHOUT_RESOURCE_TYPE', () => {
  let ourTypes: string[];
  let cfnLint: Record<string, string[]>;

  beforeAll(() => {
    // Prepare: every type our syntheses use, environment-agnostic and region-specific (custom resource).
    const pack = synthesizeConformancePack({}, mkdtempSync(path.join(tmpdir(), 'availability-pack-')));
    ourTypes = [
      ...new Set([
        ...synthesisTypes(EVERY_OPTION),
        ...synthesisTypes({ ...EVERY_OPTION, guardHook: 'false' }, 'ca-central-1'),
        ...Object.values((parse(pack) as { Resources: Record<string, { Type: string }> }).Resources).map(
          (resource) => resource.Type,
        ),
      ]),
    ]
      .filter((type) => !type.startsWith('Custom::'))
      .sort();
    // Act: cfn-lint's own per-region data, the source of truth.
    cfnLint = cfnLintMissingTypesByRegion(ourTypes);
  }, 180_000);

  it('lists exactly the regions of aws, aws-cn and aws-us-gov that cfn-lint knows', () => {
    expect([...CLOUDFORMATION_REGIONS].sort()).toEqual(Object.keys(cfnLint).sort());
  });

  it("agrees with cfn-lint's data on every resource type the syntheses use, in every region", () => {
    // Prepare: what the committed table says for the same types and regions.
    const committed = Object.fromEntries(
      CLOUDFORMATION_REGIONS.map((region) => [
        region,
        ourTypes.filter((type) => regionHasResourceType(region, type) === false),
      ]),
    );
    // Assess
    expect(committed).toEqual(cfnLint);
  });

  it('names only types the syntheses use', () => {
    expect(Object.keys(REGIONS_WITHOUT_RESOURCE_TYPE).filter((type) => !ourTypes.includes(type))).toEqual([]);
  });

  it('groups the regions that need a region-specific synthesis by partition and missing types', () => {
    // Act
    const groups = regionGroups(cfnLint);
    // Assess: every region lacking a type is in exactly one group, and a group never spans partitions.
    const grouped = [...groups.values()].flat().sort();
    expect(grouped).toEqual(
      Object.keys(cfnLint)
        .filter((region) => cfnLint[region].length > 0)
        .sort(),
    );
    expect(groups.get('cn-north-1')).toEqual(['cn-north-1']);
    expect(groups.get('us-gov-east-1')).toEqual(['us-gov-east-1', 'us-gov-west-1']);
  });
});

describe('regionHasResourceType', () => {
  it.each([
    ['eu-west-1', REMEDIATION_CONFIGURATION_TYPE, true],
    ['ca-central-1', REMEDIATION_CONFIGURATION_TYPE, false],
    ['cn-north-1', REMEDIATION_CONFIGURATION_TYPE, true],
    ['cn-north-1', GUARD_HOOK_TYPE, false],
    ['us-gov-west-1', GUARD_HOOK_TYPE, false],
    ['us-east-1', GUARD_HOOK_TYPE, true],
    // A region the table does not know: treated as lacking the type (the Config API works everywhere).
    ['xx-future-1', REMEDIATION_CONFIGURATION_TYPE, false],
    // A type missing nowhere is present everywhere, known region or not.
    ['xx-future-1', 'AWS::IAM::Role', true],
  ])('says %s has %s: %s', (region, type, expected) => {
    expect(regionHasResourceType(region, type)).toBe(expected);
  });

  it('cannot tell for a region known only at deployment', () => {
    expect(regionHasResourceType(Aws.REGION, REMEDIATION_CONFIGURATION_TYPE)).toBeUndefined();
  });
});
