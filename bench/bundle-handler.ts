/**
 * Bundles the rule's Lambda handler the way the CDK stack's `NodejsFunction` does (local esbuild,
 * minified, source map, Node platform, CommonJS, the AWS SDK bundled in), so the benchmark measures
 * the code that is deployed.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';

import { build } from 'esbuild';

/** The esbuild target matching the stack's Lambda runtime (`NODEJS_24_X` in infra/rule-function.ts). */
export const LAMBDA_TARGET = 'node24';

/** A bundle written to disk. */
export interface HandlerBundle {
  /** The bundle's path. */
  readonly file: string;
  /** Its size in bytes. */
  readonly bytes: number;
  /** The size of its source map in bytes. */
  readonly sourceMapBytes: number;
  /** Bytes of the bundle by package (`@aws-sdk/client-ec2`, ...; `rule` for our own code), largest first. */
  readonly bytesByPackage: readonly (readonly [string, number])[];
}

// node_modules/@scope/name/... or node_modules/name/... ; anything else is our own code.
function packageOf(input: string): string {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
  return match?.[1] ?? (input.split('/')[0] || input);
}

/**
 * Bundles `rule/handler.ts`.
 *
 * @param projectRoot - the repository root
 * @param outDir - where to write the bundle
 * @param name - the bundle's file name, without extension
 * @param external - modules left out of the bundle (for a diagnostic build); none in the deployed one
 * @returns where the bundle is and how big
 */
export async function bundleHandler(
  projectRoot: string,
  outDir: string,
  name: string,
  external: readonly string[] = [],
): Promise<HandlerBundle> {
  const file = join(outDir, `${name}.js`);
  const result = await build({
    entryPoints: [join(projectRoot, 'rule', 'handler.ts')],
    outfile: file,
    bundle: true,
    minify: true,
    sourcemap: true,
    platform: 'node',
    target: LAMBDA_TARGET,
    format: 'cjs',
    external: [...external],
    logLevel: 'error',
    metafile: true,
  });
  const byPackage = new Map<string, number>();
  for (const output of Object.values(result.metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const name = packageOf(input);
      byPackage.set(name, (byPackage.get(name) ?? 0) + bytesInOutput);
    }
  }
  return {
    file,
    bytes: statSync(file).size,
    sourceMapBytes: statSync(`${file}.map`).size,
    bytesByPackage: [...byPackage.entries()].sort((a, b) => b[1] - a[1]),
  };
}
