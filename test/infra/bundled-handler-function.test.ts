import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { LAMBDA_ENTRIES, PREBUILT_ASSETS_DIR, PROJECT_ROOT } from '../../infra/bundling/handler-bundling';
import {
  bundledHandlerFunction,
  MissingLambdaBundleError,
} from '../../infra/constructs/bundled-handler-function';

const ENTRY = path.join(PROJECT_ROOT, LAMBDA_ENTRIES['rule-handler']);
const BUNDLE = path.join(PREBUILT_ASSETS_DIR, 'rule-handler');

// An install with neither rule/handler.ts nor lib/assets/rule-handler/index.js; every other file as it is.
jest.mock('node:fs', () => {
  const actual = jest.requireActual<typeof import('node:fs')>('node:fs');
  // Read when called: the factory runs while the modules above are still being imported.
  const absent = (file: string) => file === ENTRY || file === path.join(BUNDLE, 'index.js');
  return { ...actual, existsSync: (file: string) => !absent(file) && actual.existsSync(file) };
});

describe('bundledHandlerFunction', () => {
  it('names the missing source and the missing pre-built bundle when it has neither', () => {
    // Prepare
    const stack = new Stack(new App(), 'Stack');

    // Act
    const create = () => bundledHandlerFunction(stack, 'Function', 'rule-handler', {});

    // Assess
    expect(create).toThrow(MissingLambdaBundleError);
    expect(create).toThrow(`neither its source (${ENTRY}) nor its pre-built bundle (${BUNDLE})`);
  });
});
