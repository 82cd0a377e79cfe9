import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';

import { documentedCommands } from './documented-commands';

// The example app of docs/deployment.md is test/package/example-app/app.ts, which the packaging test
// installs and synthesises: the page must show that file as it is, and the file may import only what the
// page tells the reader to install.
const ROOT = join(__dirname, '..', '..');
const PAGE = join(ROOT, 'docs', 'deployment.md');
const APP = readFileSync(join(ROOT, 'test', 'package', 'example-app', 'app.ts'), 'utf8');
const PACKAGE_NAME = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string }).name;

/** The package an import specifier names: `aws-cdk-lib/aws-iam` is `aws-cdk-lib`. */
function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] as string);
}

/** The packages a page's `npm install` commands install; our tarball counts as the package itself. */
function installedBy(page: string): string[] {
  return documentedCommands(ROOT, [page])
    .filter(({ argv }) => argv[0] === 'npm' && ['install', 'i'].includes(argv[1] ?? ''))
    .flatMap(({ argv }) => argv.slice(2).filter((word) => !word.startsWith('-')))
    .map((spec) => (spec.endsWith('.tgz') ? PACKAGE_NAME : packageOf(spec.replace(/(.)@.*$/, '$1'))));
}

describe('the example app of docs/deployment.md', () => {
  it('is shown on the page exactly as test/package/example-app/app.ts holds it', () => {
    const blocks = [...readFileSync(PAGE, 'utf8').matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
    expect(blocks).toContain(APP);
  });

  it('imports only packages the page tells the reader to install', () => {
    // Prepare
    const imported = [...APP.matchAll(/from '([^']+)'/g)].map((m) => packageOf(m[1] as string));
    const builtins = new Set([...builtinModules, ...builtinModules.map((name) => `node:${name}`)]);
    // Act
    const installed = installedBy(PAGE);
    // Assess
    expect(installed).toContain(PACKAGE_NAME);
    expect(imported.filter((name) => !builtins.has(name) && !installed.includes(name))).toEqual([]);
  });
});
