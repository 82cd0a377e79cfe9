import * as path from 'node:path';
import { buildSync } from 'esbuild';
import { LAMBDA_NODE_TARGET, PROJECT_ROOT } from './handler-bundling';

/** The re-evaluation trigger's entry point. */
export const TRIGGER_ENTRY = path.join(PROJECT_ROOT, 'rule', 're-evaluation-trigger.ts');

let code: string | undefined;

/**
 * The re-evaluation trigger bundled into one CommonJS file, minified, for a function's inline code
 * (`ZipFile`): CloudFormation writes it to `index.js`, so member accounts need no asset bucket. The AWS SDK
 * is left to the Lambda runtime's own copy (Node.js runtimes include SDK v3): the trigger sends only
 * `DescribeConfigRules` and `StartConfigRulesEvaluation`, stable since SDK v3's first release, and
 * bundling the Config client would not fit a template body. Built once per process with the local esbuild.
 *
 * @returns the JavaScript source
 */
export function reEvaluationTriggerCode(): string {
  code ??= buildSync({
    entryPoints: [TRIGGER_ENTRY],
    bundle: true,
    minify: true,
    platform: 'node',
    target: LAMBDA_NODE_TARGET,
    format: 'cjs',
    external: ['@aws-sdk/*'],
    write: false,
    logLevel: 'error',
  }).outputFiles[0]?.text;
  if (code === undefined) throw new Error(`esbuild produced no output for ${TRIGGER_ENTRY}`);
  return code;
}
