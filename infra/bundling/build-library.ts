/**
 * `npm run build:lib` (and `npm pack`, through `prepack`): builds the package's contents into `lib/`:
 * the JavaScript and declarations of the public entry point (`tsconfig.build.json`), the runbook YAML
 * beside the module that reads it, and every Lambda of {@link LAMBDA_ENTRIES} pre-bundled into
 * `lib/assets/<name>/`, so the constructs work from `node_modules` with neither the TypeScript sources
 * nor esbuild. Offline, no Docker; `lib/` is rebuilt from nothing each time.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { RUNBOOK_PATH } from '../../remediation/runbook';
import {
  PREBUILT_TRIGGER_CODE,
  buildReEvaluationTriggerCode,
} from '../constructs/re-evaluation-trigger-code';
import { LAMBDA_ENTRIES, PROJECT_ROOT, bundleHandler } from './handler-bundling';

const LIB = path.join(PROJECT_ROOT, 'lib');

async function buildLibrary(): Promise<void> {
  rmSync(LIB, { recursive: true, force: true });
  const tsc = path.join(PROJECT_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  execFileSync(process.execPath, [tsc, '-p', path.join(PROJECT_ROOT, 'tsconfig.build.json')], {
    stdio: 'inherit',
  });
  // remediation/runbook.ts reads the YAML from its own directory, in lib/ as in the repository.
  const runbookTarget = path.join(LIB, path.relative(PROJECT_ROOT, RUNBOOK_PATH));
  copyFileSync(RUNBOOK_PATH, runbookTarget);
  console.log(`copied ${path.relative(PROJECT_ROOT, runbookTarget)}`);
  // The runbook executor runs the script step through this harness, read from its own directory.
  copyFileSync(
    path.join(PROJECT_ROOT, 'sandbox', 'execute-script-harness.py'),
    path.join(LIB, 'sandbox', 'execute-script-harness.py'),
  );
  // The Guard policy files, for Guard hooks and pipelines of users' own (rendered for the rule's defaults).
  for (const file of readdirSync(path.join(PROJECT_ROOT, 'policy')).filter((f) => f.endsWith('.guard'))) {
    copyFileSync(path.join(PROJECT_ROOT, 'policy', file), path.join(LIB, 'policy', file));
  }
  for (const [name, entry] of Object.entries(LAMBDA_ENTRIES)) {
    const assetDir = path.join(LIB, 'assets', name);
    const { lazyModuleBytes } = await bundleHandler(path.join(PROJECT_ROOT, entry), assetDir);
    console.log(
      `bundled ${entry} -> ${path.relative(PROJECT_ROOT, assetDir)}/ (+ ${Object.keys(lazyModuleBytes).length} lazily loaded SDK modules)`,
    );
  }
  // The re-evaluation trigger is deployed as inline code, built here as the repository builds it at
  // synthesis; PREBUILT_TRIGGER_CODE is relative to lib/ once installed, so it is placed under LIB here.
  const triggerTarget = path.join(LIB, path.relative(PROJECT_ROOT, PREBUILT_TRIGGER_CODE));
  mkdirSync(path.dirname(triggerTarget), { recursive: true });
  writeFileSync(triggerTarget, buildReEvaluationTriggerCode());
  console.log(
    `built the re-evaluation trigger's inline code -> ${path.relative(PROJECT_ROOT, triggerTarget)}`,
  );
}

buildLibrary().catch((error: unknown) => {
  process.stderr.write(`build-library: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
