/**
 * `tsx infra/bundling/bundle-lazy-sdk-modules.ts <assetDir>`: the rule Lambda's `afterBundling` step, which bundles
 * the lazily loaded SDK modules into the asset (see `handler-bundling.ts`).
 */
import { bundleLazySdkModules } from './handler-bundling';

const outputDir = process.argv[2];
if (!outputDir) {
  process.stderr.write('usage: bundle-lazy-sdk-modules <asset directory>\n');
  process.exit(2);
}
bundleLazySdkModules(outputDir).catch((error: unknown) => {
  process.stderr.write(
    `bundle-lazy-sdk-modules: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
