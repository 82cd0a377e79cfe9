import { createRequire } from 'node:module';

import { reEvaluationTriggerCode } from '../infra/constructs/re-evaluation-trigger-code';
import type { TriggerOutcome } from '../rule/re-evaluation-trigger';

/**
 * Loads the trigger's inline code as Lambda runs the `index.js` CloudFormation writes: CommonJS, with the
 * SDK resolved as the runtime provides it. The tests and the benchmark run the deployed code, not the source.
 *
 * @returns the code's `handler`
 */
export function loadInlineReEvaluationTrigger(): (event: unknown) => Promise<TriggerOutcome> {
  const module: { exports: { handler?: (event: unknown) => Promise<TriggerOutcome> } } = { exports: {} };
  new Function('module', 'exports', 'require', reEvaluationTriggerCode())(
    module,
    module.exports,
    createRequire(__filename),
  );
  const handler = module.exports.handler;
  if (handler === undefined) throw new Error('the inline trigger code exports no handler');
  return handler;
}
