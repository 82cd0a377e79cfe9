/**
 * `npm run build:lib` (and `npm pack`, through `prepack`): builds the package's contents into `lib/`:
 * the JavaScript and declarations of the public entry point (`tsconfig.build.json`), the runbook YAML
 * beside the module that reads it, and every Lambda of {@link LAMBDA_ENTRIES} pre-bundled into
 * `lib/assets/<name>/`, so the constructs work from `node_modules` with neither the TypeScript sources
 * nor esbuild. Offline, no Docker; `lib/` is rebuilt from nothing each time.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { RUNBOOK_PATH } from '../../remediation/runbook';
import {
  PREBUILT_TRIGGER_CODE,
  buildReEvaluationTriggerCode,
} from '../constructs/re-evaluation-trigger-code';
import { LAMBDA_ENTRIES, PROJECT_ROOT, bundleHandler } from './handler-bundling';

const LIB = path.join(PROJECT_ROOT, 'lib');
// Built beside lib/ and swapped in at the end, so a command running from lib/ meanwhile (the bin, in a test
// running while the packaging test packs) finds the previous build or the new one, never half of one.
const STAGING = path.join(PROJECT_ROOT, `lib.building-${process.pid}`);

/** A path of the staging build, as it will be under lib/, for the log. */
const shown = (file: string): string => path.join('lib', path.relative(STAGING, file));

async function buildLibrary(): Promise<void> {
  rmSync(STAGING, { recursive: true, force: true });
  const tsc = path.join(PROJECT_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  execFileSync(
    process.execPath,
    [tsc, '-p', path.join(PROJECT_ROOT, 'tsconfig.build.json'), '--outDir', STAGING],
    {
      stdio: 'inherit',
    },
  );
  // remediation/runbook.ts reads the YAML from its own directory, in lib/ as in the repository.
  const runbookTarget = path.join(STAGING, path.relative(PROJECT_ROOT, RUNBOOK_PATH));
  copyFileSync(RUNBOOK_PATH, runbookTarget);
  console.log(`copied ${shown(runbookTarget)}`);
  // The runbook executor runs the script step through this harness, read from its own directory.
  copyFileSync(
    path.join(PROJECT_ROOT, 'sandbox', 'execute-script-harness.py'),
    path.join(STAGING, 'sandbox', 'execute-script-harness.py'),
  );
  // The Guard policy files, for Guard hooks and pipelines of users' own (rendered for the rule's defaults).
  for (const file of readdirSync(path.join(PROJECT_ROOT, 'policy')).filter((f) => f.endsWith('.guard'))) {
    copyFileSync(path.join(PROJECT_ROOT, 'policy', file), path.join(STAGING, 'policy', file));
  }
  for (const [name, entry] of Object.entries(LAMBDA_ENTRIES)) {
    const assetDir = path.join(STAGING, 'assets', name);
    const { lazyModuleBytes } = await bundleHandler(path.join(PROJECT_ROOT, entry), assetDir);
    console.log(
      `bundled ${entry} -> ${shown(assetDir)}/ (+ ${Object.keys(lazyModuleBytes).length} lazily loaded SDK modules)`,
    );
  }
  // The re-evaluation trigger is deployed as inline code, built here as the repository builds it at
  // synthesis; PREBUILT_TRIGGER_CODE is relative to lib/ once installed, so it is placed under the build here.
  const triggerTarget = path.join(STAGING, path.relative(PROJECT_ROOT, PREBUILT_TRIGGER_CODE));
  mkdirSync(path.dirname(triggerTarget), { recursive: true });
  writeFileSync(triggerTarget, buildReEvaluationTriggerCode());
  console.log(`built the re-evaluation trigger's inline code -> ${shown(triggerTarget)}`);
  rmSync(LIB, { recursive: true, force: true });
  renameSync(STAGING, LIB);
}

buildLibrary().catch((error: unknown) => {
  rmSync(STAGING, { recursive: true, force: true });
  process.stderr.write(`build-library: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
