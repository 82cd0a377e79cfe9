import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

import { documentationPages } from './documented-commands';

// A page that names a file of this repository must name one that exists, so moves and renames cannot
// leave the docs pointing nowhere.
const ROOT = join(__dirname, '..', '..');
const REPOSITORY_PATH =
  /(?<![\w/.])(?:\.\.\/)?((?:rule|infra|audit|remediation|test|bench|policy|cli|docs|insights|sandbox|bin|\.ci)\/[\w./-]+\.(?:ts|yaml|json|md|guard|py|js))/g;

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

  it.each([
    'sandbox/loopback-world.ts',
    'insights/saved-queries.ts',
    'bin/client-vpn-logging.js',
    'rule/decision.ts',
  ])('reads %s, named in a page, as a repository path to check', (path) => {
    // Prepare: a sentence naming the path, the way the pages do.
    const sentence = `the loopback AWS (\`${path}\`) and [the page](../${path})`;
    // Act
    const found = [...sentence.matchAll(REPOSITORY_PATH)].map((match) => match[1]);
    // Assess
    expect(found).toEqual([path, path]);
  });

  it('names only files that exist', () => {
    const missing = named
      .filter(({ path }) => !existsSync(join(ROOT, path)))
      .map(({ page, path }) => `${page}: ${path}`);
    expect(missing).toEqual([]);
  });
});
