import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { Construct } from 'constructs';
import {
  LAMBDA_ENTRIES,
  LAZY_SDK_MODULES,
  type LambdaName,
  MAIN_FIELDS,
  PREBUILT_ASSETS_DIR,
  PROJECT_ROOT,
  lazySdkModulesBundlingCommand,
} from '../bundling/handler-bundling';
import { ConstructConfigurationError } from './construct-configuration-error';

/** Neither the handler's TypeScript source nor its pre-built bundle is where the package keeps it. */
export class MissingLambdaBundleError extends ConstructConfigurationError {
  constructor(name: string, entry: string, bundle: string) {
    super(
      `The Lambda "${name}" has neither its source (${entry}) nor its pre-built bundle (${bundle}): ` +
        'run `npm run build:lib` in the repository, or reinstall the package.',
    );
    this.name = 'MissingLambdaBundleError';
  }
}

/**
 * One of this project's Lambdas (Node.js 24, arm64) with the caller's options. In this repository the
 * handler's TypeScript source is there, and `NodejsFunction` bundles it at synthesis with the local
 * esbuild; in the installed package only the bundle pre-built by `npm pack` (`lib/assets/<name>/`) is,
 * and it is deployed as it is. Both are bundled with the same settings (`handler-bundling.ts`).
 *
 * @param scope - the function's scope
 * @param id - the function's construct ID
 * @param name - which of the {@link LAMBDA_ENTRIES}
 * @param options - everything but the code, runtime, architecture and handler
 * @returns the function
 */
export function bundledHandlerFunction(
  scope: Construct,
  id: string,
  name: LambdaName,
  options: lambda.FunctionOptions,
): lambda.Function {
  const runtime = lambda.Runtime.NODEJS_24_X;
  const architecture = lambda.Architecture.ARM_64;
  const entry = path.join(PROJECT_ROOT, LAMBDA_ENTRIES[name]);
  if (existsSync(entry)) {
    return new NodejsFunction(scope, id, {
      ...options,
      entry,
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: path.join(PROJECT_ROOT, 'package-lock.json'),
      runtime,
      architecture,
      bundling: {
        forceDockerBundling: false,
        minify: true,
        sourceMap: true,
        format: OutputFormat.CJS,
        // Pin the SDK we test with instead of the runtime's, which changes under us.
        bundleAwsSDK: true,
        mainFields: MAIN_FIELDS,
        // Left out of index.js and bundled on their own by the hook below, so a change event's cold start
        // never compiles them (see handler-bundling.ts).
        externalModules: Object.keys(LAZY_SDK_MODULES),
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          afterBundling: (_inputDir: string, outputDir: string) => [lazySdkModulesBundlingCommand(outputDir)],
        },
      },
    });
  }
  const bundle = path.join(PREBUILT_ASSETS_DIR, name);
  if (!existsSync(path.join(bundle, 'index.js'))) throw new MissingLambdaBundleError(name, entry, bundle);
  return new lambda.Function(scope, id, {
    ...options,
    code: lambda.Code.fromAsset(bundle),
    handler: 'index.handler',
    runtime,
    architecture,
  });
}
