import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse, stringify } from 'yaml';
import { cfnLintMissingTypesByRegion, regionGroups } from './cfn-lint-regions';
import { reportSynthesisErrors } from './report-synthesis-errors';
import { writeShippedTemplates } from './shipped-templates';

/**
 * `npm run lint:templates`: synthesises every template the project ships into
 * `cdk.out/lint-templates/` (git-ignored) and runs AWS's CloudFormation linter, `cfn-lint`, over them
 * with `.cfnlintrc.yaml` (the warnings kept, each with its reason), in every region of the `aws`,
 * `aws-cn` and `aws-us-gov` partitions that cfn-lint knows. The environment-agnostic templates are checked
 * in every region whose CloudFormation has all their resource types; every other region is checked with
 * a region-specific synthesis (`cdk.out/lint-templates/<region>/`), as `cdk deploy` there would build it,
 * one per group of regions that lack the same types in the same partition. One cfn-lint run checks them all: each template names its regions in its
 * `Metadata.cfn-lint.config.regions`. Any error, and any warning not kept, fails. Needs `cfn-lint` 1.x
 * on the PATH (`pip install cfn-lint`).
 */
const root = path.resolve(__dirname, '..');
const CONFIG_FILE = path.join(root, '.cfnlintrc.yaml');
const OUTPUT_DIR = path.join(root, 'cdk.out', 'lint-templates');
const AGNOSTIC_DIR = path.join(OUTPUT_DIR, 'any-region');
const INSTALL_HINT = 'install it with `pip install cfn-lint` (AWS CloudFormation Linter, version 1.x)';

function cfnLintVersion(): string {
  const probe = spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' });
  if (probe.error !== undefined || probe.status !== 0) {
    console.error(`lint:templates: cfn-lint was not found on the PATH; ${INSTALL_HINT}.`);
    process.exit(1);
  }
  return probe.stdout.trim();
}

interface TemplateDocument {
  Metadata?: Record<string, unknown>;
  Resources?: Record<string, { Type: string }>;
}

function readTemplate(file: string): TemplateDocument {
  const text = readFileSync(file, 'utf8');
  return (file.endsWith('.yaml') ? parse(text) : JSON.parse(text)) as TemplateDocument;
}

/** Writes the regions cfn-lint checks a template in into the template itself (the lint copy only). */
function setLintRegions(file: string, regions: readonly string[]): void {
  const template = readTemplate(file);
  template.Metadata = { ...template.Metadata, 'cfn-lint': { config: { regions: [...regions] } } };
  writeFileSync(file, file.endsWith('.yaml') ? stringify(template) : JSON.stringify(template, undefined, 1));
}

function resourceTypes(files: readonly string[]): string[] {
  const types = new Set<string>();
  for (const file of files)
    for (const resource of Object.values(readTemplate(file).Resources ?? {}))
      if (!resource.Type.startsWith('Custom::')) types.add(resource.Type);
  return [...types].sort();
}

reportSynthesisErrors(() => {
  const started = Date.now();
  const version = cfnLintVersion();
  const agnostic = writeShippedTemplates(AGNOSTIC_DIR);
  const missingByRegion = cfnLintMissingTypesByRegion(resourceTypes(agnostic));
  const nativeRegions = Object.keys(missingByRegion).filter((region) => missingByRegion[region].length === 0);
  for (const file of agnostic) setLintRegions(file, nativeRegions);
  const templates = [...agnostic];
  console.log(`${version}: environment-agnostic templates in ${nativeRegions.join(' ')}`);
  for (const [representative, regions] of regionGroups(missingByRegion)) {
    const regional = writeShippedTemplates(path.join(OUTPUT_DIR, representative), representative);
    for (const file of regional) setLintRegions(file, regions);
    templates.push(...regional);
    const missing = missingByRegion[representative].join(', ');
    console.log(`synthesised for ${representative} (no ${missing}), checked in ${regions.join(' ')}`);
  }
  console.log(`checking ${templates.length} templates with ${path.relative(root, CONFIG_FILE)}`);
  // --non-zero-exit-code warning: errors and warnings fail, informational findings do not.
  const lint = spawnSync(
    'cfn-lint',
    ['--config-file', CONFIG_FILE, '--non-zero-exit-code', 'warning', '--', ...templates],
    { cwd: root, stdio: 'inherit' },
  );
  if (lint.status !== 0) {
    console.error(
      `lint:templates: cfn-lint reported problems (exit status ${String(lint.status)}); fix them, or keep a warning in .cfnlintrc.yaml with its reason.`,
    );
    process.exit(1);
  }
  console.log(
    `lint:templates: cfn-lint reported no error and no warning beyond those kept in .cfnlintrc.yaml (${Math.round((Date.now() - started) / 1000)} s).`,
  );
});
