import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import {
  LAMBDA_NODE_TARGET,
  MAIN_FIELDS,
  PREBUILT_ASSETS_DIR,
  PROJECT_ROOT,
} from '../bundling/handler-bundling';
import { ConstructConfigurationError } from './construct-configuration-error';

/** The re-evaluation trigger's entry point. */
export const TRIGGER_ENTRY = path.join(PROJECT_ROOT, 'rule', 're-evaluation-trigger.ts');

/**
 * Where the installed package keeps the trigger's code, pre-built by `npm pack` (`build-library.ts`):
 * `lib/assets/re-evaluation-trigger/index.js`.
 */
export const PREBUILT_TRIGGER_CODE = path.join(PREBUILT_ASSETS_DIR, 're-evaluation-trigger', 'index.js');

/** Neither the trigger's TypeScript source nor its pre-built code is where the package keeps it. */
export class MissingTriggerCodeError extends ConstructConfigurationError {
  public override readonly name = 'MissingTriggerCodeError';

  public constructor() {
    super(
      `The re-evaluation trigger has neither its source (${TRIGGER_ENTRY}) nor its pre-built code (${PREBUILT_TRIGGER_CODE}): ` +
        'run `npm run build:lib` in the repository, or reinstall the package.',
    );
  }
}

let code: string | undefined;

/**
 * Bundles the trigger from its TypeScript source with the local esbuild.
 *
 * @returns the JavaScript source
 */
export function buildReEvaluationTriggerCode(): string {
  // esbuild is a development dependency, absent from the installed package: loaded only to build from source.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { buildSync } = require('esbuild') as typeof import('esbuild');
  const built = buildSync({
    entryPoints: [TRIGGER_ENTRY],
    bundle: true,
    minify: true,
    platform: 'node',
    target: LAMBDA_NODE_TARGET,
    format: 'cjs',
    // The SDK clients come from the Lambda runtime; the few lines of the ARN parser
    // (@aws-sdk/util-arn-parser, read by rule/changed-resource.ts) are bundled, so the code needs no
    // package the runtime may not ship.
    external: ['@aws-sdk/client-*'],
    // ES module builds first, so that only the parser's `parse` is bundled, not its package's other
    // helpers: the trigger is inline code in the member template, which has a size limit.
    mainFields: MAIN_FIELDS,
    write: false,
    logLevel: 'error',
  }).outputFiles[0]?.text;
  if (built === undefined) throw new Error(`esbuild produced no output for ${TRIGGER_ENTRY}`);
  return built;
}

/**
 * The re-evaluation trigger bundled into one CommonJS file, minified, for a function's inline code
 * (`ZipFile`): CloudFormation writes it to `index.js`, so member accounts need no asset bucket. The AWS SDK
 * is left to the Lambda runtime's own copy (Node.js runtimes include SDK v3): the trigger sends only
 * `DescribeConfigRules` and `StartConfigRulesEvaluation`, stable since SDK v3's first release, and
 * bundling the Config client would not fit a template body. In this repository it is built once per
 * process from the source with the local esbuild; the installed package reads the copy `npm pack` built.
 *
 * @returns the JavaScript source
 */
export function reEvaluationTriggerCode(): string {
  if (code !== undefined) return code;
  if (existsSync(TRIGGER_ENTRY)) code = buildReEvaluationTriggerCode();
  else if (existsSync(PREBUILT_TRIGGER_CODE)) code = readFileSync(PREBUILT_TRIGGER_CODE, 'utf8');
  else throw new MissingTriggerCodeError();
  return code;
}
