import { spawnSync } from 'node:child_process';
import { RegionInfo } from 'aws-cdk-lib/region-info';

/** The partitions this project deploys to and checks its templates in. */
export const CHECKED_PARTITIONS: readonly string[] = ['aws', 'aws-cn', 'aws-us-gov'];

/** cfn-lint's region data could not be read: Python or cfn-lint is missing, or its layout changed. */
export class CfnLintRegionDataError extends Error {
  constructor(detail: string) {
    super(
      `cannot read cfn-lint's per-region resource types (${detail}); install cfn-lint 1.x with \`pip install cfn-lint\``,
    );
    this.name = 'CfnLintRegionDataError';
  }
}

// cfn-lint keeps, per region, a module `cfnlint.data.schemas.providers.<region_with_underscores>` whose
// `types` maps every resource type CloudFormation has in that region to its schema; `cfnlint.helpers.REGIONS`
// lists the regions.
const READ_REGION_TYPES = String.raw`
import importlib, json, sys
from cfnlint.helpers import REGIONS
wanted = json.load(sys.stdin)
missing = {}
for region in REGIONS:
    types = importlib.import_module('cfnlint.data.schemas.providers.' + region.replace('-', '_')).types
    missing[region] = [t for t in wanted if t not in types]
print(json.dumps(missing))
`;

/**
 * For every region of {@link CHECKED_PARTITIONS} that the installed cfn-lint knows, the given resource
 * types that CloudFormation does not have there, read from cfn-lint's per-region schema data.
 *
 * @param types - CloudFormation resource types, such as `AWS::Config::RemediationConfiguration`
 * @returns the missing types by region (an empty list where every type exists), regions in cfn-lint's order
 * @throws CfnLintRegionDataError when python3 or cfn-lint cannot be run or answers something else
 */
export function cfnLintMissingTypesByRegion(types: readonly string[]): Record<string, string[]> {
  const run = spawnSync('python3', ['-c', READ_REGION_TYPES], {
    input: JSON.stringify(types),
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (run.error !== undefined) throw new CfnLintRegionDataError(run.error.message);
  if (run.status !== 0) throw new CfnLintRegionDataError(run.stderr.trim().split('\n').at(-1) ?? '');
  const missing = JSON.parse(run.stdout) as Record<string, string[]>;
  return Object.fromEntries(
    Object.entries(missing).filter(([region]) =>
      CHECKED_PARTITIONS.includes(RegionInfo.get(region).partition ?? ''),
    ),
  );
}

/**
 * The regions that need a region-specific synthesis, grouped by partition and by the types they lack,
 * keyed by the group's first region. Within a group the syntheses differ only in the region's name (the
 * stacks choose resources by the types a region lacks, the ARNs by its partition), so one synthesis,
 * checked in every region of the group, stands for all: 4 syntheses instead of 21, which keeps the run
 * to a couple of minutes.
 *
 * @param missingByRegion - the types each region lacks, as {@link cfnLintMissingTypesByRegion} gives them
 * @returns the regions of each group, by the group's first region; regions lacking nothing are left out
 */
export function regionGroups(missingByRegion: Readonly<Record<string, string[]>>): Map<string, string[]> {
  const byKey = new Map<string, string[]>();
  for (const [region, missing] of Object.entries(missingByRegion)) {
    if (missing.length === 0) continue;
    const key = `${RegionInfo.get(region).partition ?? ''} ${[...missing].sort().join(' ')}`;
    byKey.set(key, [...(byKey.get(key) ?? []), region]);
  }
  return new Map([...byKey.values()].map((regions) => [regions[0], regions]));
}
