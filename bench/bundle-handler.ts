/**
 * Bundles the rule's Lambda handler the way the CDK stack's `NodejsFunction` does, from the same
 * settings (infra/bundling/handler-bundling.ts): the main file, plus each lazily loaded SDK client in the
 * bundle's own `node_modules/`, so the benchmark measures the code that is deployed.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';

import { HANDLER_ENTRY, bundleHandler as bundleHandlerEntry } from '../infra/bundling/handler-bundling';

/** A bundle written to disk. */
export interface HandlerBundle {
  /** The main file's path: what every cold start loads. */
  readonly file: string;
  /** Its size in bytes. */
  readonly bytes: number;
  /** The size of its source map in bytes. */
  readonly sourceMapBytes: number;
  /** Bytes of each lazily loaded SDK module, loaded only by the invocations that need it. */
  readonly lazyModuleBytes: Readonly<Record<string, number>>;
  /** Bytes of the main file by package (`@aws-sdk/client-config-service`, ...; `rule` for our own code), largest first. */
  readonly bytesByPackage: readonly (readonly [string, number])[];
}

// node_modules/@scope/name/... or node_modules/name/... ; anything else is our own code.
function packageOf(input: string): string {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
  return match?.[1] ?? (input.split('/')[0] || input);
}

/**
 * Bundles `rule/handler.ts` into `outDir` as the stack deploys it.
 *
 * @param outDir - the bundle's root, standing for the Lambda's `/var/task`
 * @returns where the main file is and how big each part is
 */
export async function bundleHandler(outDir: string): Promise<HandlerBundle> {
  const file = join(outDir, 'index.js');
  const { metafile, lazyModuleBytes } = await bundleHandlerEntry(HANDLER_ENTRY, outDir);
  const byPackage = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const name = packageOf(input);
      byPackage.set(name, (byPackage.get(name) ?? 0) + bytesInOutput);
    }
  }
  return {
    file,
    bytes: statSync(file).size,
    sourceMapBytes: statSync(`${file}.map`).size,
    lazyModuleBytes,
    bytesByPackage: [...byPackage.entries()].sort((a, b) => b[1] - a[1]),
  };
}
