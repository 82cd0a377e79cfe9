#!/usr/bin/env node
// The package's bin: a plain JavaScript file so that it runs wherever Node does. It runs the built
// JavaScript in lib/ (built by `npm ci` through the `prepare` script, and by `npm pack`), which starts
// in a fraction of the time on-the-fly TypeScript takes. Only in a clone whose lib/ is missing or older
// than the TypeScript sources does it run those sources through tsx (a devDependency) instead, so an
// edit is never hidden behind a stale build; `npm run build:lib` makes it fast again.
'use strict';

// The SDK warns on every process on Node < 22 that its 2027 releases will need Node 22. This project
// supports Node >= 20 until then (package.json engines), so that one warning is silenced deliberately,
// before any SDK client is built. A value the user set is kept.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const { existsSync, readdirSync, statSync } = require('node:fs');
const { join } = require('node:path');

const ROOT = join(__dirname, '..');
const BUILT = join(ROOT, 'lib', 'cli', 'client-vpn-logging.js');
const SOURCE = join(ROOT, 'cli', 'client-vpn-logging.ts');
// The folders lib/cli/client-vpn-logging.js is compiled from, and the files copied beside it.
const SOURCE_DIRS = ['cli', 'audit', 'rule', 'remediation', 'sandbox', 'policy', 'infra'];
const SOURCE_FILE = /\.(ts|yaml|py|guard)$/;

function newestSourceTime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSourceTime(path));
    else if (SOURCE_FILE.test(entry.name)) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

function builtIsCurrent() {
  if (!existsSync(BUILT)) return false;
  const built = statSync(BUILT).mtimeMs;
  return SOURCE_DIRS.every(
    (dir) => !existsSync(join(ROOT, dir)) || newestSourceTime(join(ROOT, dir)) <= built,
  );
}

// From a clone whose build is missing or stale: the TypeScript sources, in a child Node with tsx hooked
// into both module loaders (`--import tsx`), since the commands load their heavy parts with import(),
// which only tsx's ESM hook resolves; `--` keeps the command's own options (`--help`) from Node. The child
// inherits the terminal, and its exit status is ours.
function runSources() {
  const { spawnSync } = require('node:child_process');
  const program =
    'require(' +
    JSON.stringify(SOURCE) +
    ').runClientVpnLogging(process.argv.slice(1)).then(' +
    '(code) => { if (code !== undefined) process.exitCode = code; }, ' +
    "(error) => { process.stderr.write('client-vpn-logging: ' + (error.stack || String(error)) + '\\n'); process.exitCode = 2; })";
  // tsx by its file, resolved from here: the command may run in any folder.
  const tsx = require('node:url').pathToFileURL(require.resolve('tsx')).href;
  const child = spawnSync(
    process.execPath,
    ['--import', tsx, '-e', program, '--', ...process.argv.slice(2)],
    {
      stdio: 'inherit',
    },
  );
  process.exitCode = child.status ?? 2;
}

function useSources() {
  if (!existsSync(SOURCE) || builtIsCurrent()) return false;
  try {
    require.resolve('tsx');
    return true;
  } catch {
    return false;
  }
}

if (useSources()) runSources();
else
  require(BUILT)
    .runClientVpnLogging(process.argv.slice(2))
    .catch((error) => {
      process.stderr.write(
        `client-vpn-logging: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exitCode = 2;
    });
