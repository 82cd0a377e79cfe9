import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

import { documentationPages } from './documented-commands';

// A page that names a file of this repository must name one that exists, so moves and renames cannot
// leave the docs pointing nowhere.
const ROOT = join(__dirname, '..', '..');
const REPOSITORY_PATH =
  /(?<![\w/.])(?:\.\.\/)?((?:rule|infra|audit|remediation|test|bench|policy|cli|docs|\.ci)\/[\w./-]+\.(?:ts|yaml|json|md|guard|py|js))/g;

describe('the paths named in the README and docs/', () => {
  const named = documentationPages(ROOT).flatMap((page) =>
    [...readFileSync(page, 'utf8').matchAll(REPOSITORY_PATH)].map((match) => ({
      page: relative(ROOT, page),
      path: match[1],
    })),
  );

  it('finds paths to check', () => {
    expect(named.length).toBeGreaterThan(10);
  });

  it('names only files that exist', () => {
    const missing = named
      .filter(({ path }) => !existsSync(join(ROOT, path)))
      .map(({ page, path }) => `${page}: ${path}`);
    expect(missing).toEqual([]);
  });
});
