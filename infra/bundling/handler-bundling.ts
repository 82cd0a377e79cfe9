import * as path from 'node:path';
import type { BuildOptions, Metafile } from 'esbuild';
import { inlineSchemaKeysPlugin } from './inline-schema-keys-plugin';

// esbuild is a development dependency: this module is also loaded from the installed package, which
// has no esbuild and never bundles (it ships the Lambdas pre-bundled), so esbuild is imported only
// where a bundle is built.
async function esbuild(): Promise<typeof import('esbuild')> {
  return import('esbuild');
}

/**
 * The project root: the repository, where the bundler resolves the handlers and the lock file; or the
 * installed package's `lib/`, which holds the pre-bundled Lambdas under `assets/`.
 */
export const PROJECT_ROOT = path.resolve(__dirname, '..', '..');

/**
 * The Lambda handlers, each bundled to a directory of its own: the asset's name and its entry point,
 * relative to the project root. `npm pack` pre-bundles each into the package's `lib/assets/<name>/`
 * (`build-library.ts`). Adding a Lambda is one line here.
 */
export const LAMBDA_ENTRIES = {
  'rule-handler': 'rule/handler.ts',
} as const satisfies Readonly<Record<string, string>>;

/** The name of one of the {@link LAMBDA_ENTRIES}. */
export type LambdaName = keyof typeof LAMBDA_ENTRIES;

/** Where the installed package keeps its pre-bundled Lambdas: `lib/assets/`. */
export const PREBUILT_ASSETS_DIR = path.join(PROJECT_ROOT, 'assets');

/** The rule's Lambda entry point. */
export const HANDLER_ENTRY = path.join(PROJECT_ROOT, LAMBDA_ENTRIES['rule-handler']);

/** The esbuild target matching the Lambda runtime (`NODEJS_24_X` in `rule-evaluation-function.ts`). */
export const LAMBDA_NODE_TARGET = 'node24';

/**
 * Prefer packages' ES module builds: esbuild can then drop the commands and schemas the rule never
 * sends, which roughly halves the Config and CloudWatch Logs clients.
 */
export const MAIN_FIELDS = ['module', 'main'];

/**
 * SDK modules that only some invocations load, each through a dynamic `import()`, with the names the
 * rule takes from them (`'*'`: the whole module). The EC2 client serves only the scheduled sweep and the
 * delivery check, the KMS client only groups encrypted with a key, the STS client only organization mode, and the credential providers only a default chain that finds no
 * credentials in the environment (never, in Lambda). Bundled into the main file they would be compiled
 * on every cold start, change events included, so each is bundled on its own into the asset's
 * `node_modules/`, where Node finds it only when it is imported; they stay pinned to the versions this
 * project's lock file tests. A client is bundled with only the names listed, so its unused commands and
 * schemas are tree-shaken: add a name here when the rule starts using it.
 */
export const LAZY_SDK_MODULES: Readonly<Record<string, readonly string[] | '*'>> = {
  '@aws-sdk/client-ec2': [
    'EC2Client',
    'DescribeClientVpnEndpointsCommand',
    'DescribeClientVpnConnectionsCommand',
    // The sweep and the delivery check page through these (rule/bounded-pages.ts).
    'paginateDescribeClientVpnEndpoints',
    'paginateDescribeClientVpnConnections',
  ],
  '@aws-sdk/client-kms': ['KMSClient', 'DescribeKeyCommand'],
  '@aws-sdk/client-sts': ['STSClient', 'AssumeRoleCommand'],
  '@aws-sdk/credential-provider-http': '*',
  '@aws-sdk/credential-provider-ini': '*',
  '@aws-sdk/credential-provider-process': '*',
  '@aws-sdk/credential-provider-sso': '*',
  '@aws-sdk/credential-provider-web-identity': '*',
};

/**
 * The esbuild options that bundle one lazily loaded SDK module into `<outputDir>/node_modules/<name>/index.js`.
 *
 * @param name - the package name, a key of {@link LAZY_SDK_MODULES}
 * @param outputDir - the Lambda asset's root
 * @returns options for esbuild's `build`
 */
export function lazyModuleBuildOptions(name: string, outputDir: string): BuildOptions {
  const names = LAZY_SDK_MODULES[name];
  if (names === undefined) throw new Error(`${name} is not one of the lazily loaded SDK modules`);
  const exported = names === '*' ? '*' : `{ ${names.join(', ')} }`;
  return {
    stdin: { contents: `export ${exported} from '${name}';`, resolveDir: PROJECT_ROOT, loader: 'js' },
    outfile: path.join(outputDir, 'node_modules', name, 'index.js'),
    bundle: true,
    minify: true,
    platform: 'node',
    target: LAMBDA_NODE_TARGET,
    format: 'cjs',
    mainFields: MAIN_FIELDS,
    plugins: [inlineSchemaKeysPlugin()],
    logLevel: 'error',
  };
}

/**
 * Bundles every lazily loaded SDK module into a Lambda asset, with the local esbuild: no Docker, no network.
 *
 * @param outputDir - the asset's root, beside its `index.js`
 * @returns the size in bytes of each module's bundle
 */
export async function bundleLazySdkModules(outputDir: string): Promise<Record<string, number>> {
  const sizes: Record<string, number> = {};
  const { build } = await esbuild();
  for (const name of Object.keys(LAZY_SDK_MODULES)) {
    const result = await build({ ...lazyModuleBuildOptions(name, outputDir), metafile: true });
    sizes[name] = Object.values(result.metafile.outputs).reduce((total, output) => total + output.bytes, 0);
  }
  return sizes;
}

function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * The shell command, for `NodejsFunction`'s `afterBundling` hook, that runs {@link bundleLazySdkModules}
 * on the asset (through `bundle-lazy-sdk-modules.ts`).
 *
 * @param outputDir - the asset's root, as the hook receives it
 * @returns the command
 */
export function lazySdkModulesBundlingCommand(outputDir: string): string {
  const tsx = path.join(PROJECT_ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
  const script = path.join(__dirname, 'bundle-lazy-sdk-modules.ts');
  return [process.execPath, tsx, script, outputDir].map(shellQuote).join(' ');
}

/**
 * The esbuild options of a handler's main file, the same `NodejsFunction` passes in `rule-evaluation-function.ts`:
 * minified CommonJS for Node.js 24 with a source map, the SDK bundled (the version we test), and the
 * lazily loaded SDK modules left out.
 *
 * @param entry - the handler's TypeScript entry point
 * @param outputDir - the asset's root; the main file is its `index.js`
 * @returns options for esbuild's `build`
 */
export function handlerBuildOptions(entry: string, outputDir: string): BuildOptions {
  return {
    entryPoints: [entry],
    outfile: path.join(outputDir, 'index.js'),
    bundle: true,
    minify: true,
    sourcemap: true,
    platform: 'node',
    target: LAMBDA_NODE_TARGET,
    format: 'cjs',
    mainFields: MAIN_FIELDS,
    external: Object.keys(LAZY_SDK_MODULES),
    logLevel: 'error',
  };
}

/**
 * Bundles one handler into a Lambda asset directory as the stack deploys it: `index.js` (and its source
 * map), plus each lazily loaded SDK module in the asset's `node_modules/`.
 *
 * @param entry - the handler's TypeScript entry point
 * @param outputDir - the asset's root
 * @returns the main file's esbuild metafile and the size in bytes of each lazily loaded module
 */
export async function bundleHandler(
  entry: string,
  outputDir: string,
): Promise<{ readonly metafile: Metafile; readonly lazyModuleBytes: Record<string, number> }> {
  const { build } = await esbuild();
  const result = await build({ ...handlerBuildOptions(entry, outputDir), metafile: true });
  const lazyModuleBytes = await bundleLazySdkModules(outputDir);
  return { metafile: result.metafile, lazyModuleBytes };
}
