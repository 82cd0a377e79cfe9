#!/usr/bin/env node
// The package's bin: a plain JavaScript file so that it runs wherever Node does. It runs the built
// JavaScript in lib/ (built by `npm ci` through the `prepare` script, and by `npm pack`), which starts
// in a fraction of the time on-the-fly TypeScript takes. In a clone whose lib/ is missing or older than
// the TypeScript sources, the first command builds it (`npm run build:lib`, as `prepare` does), so an
// edit is never hidden behind a stale build, and never runs slowly from sources either.
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
const SOURCE_DIRS = ['cli', 'audit', 'rule', 'remediation', 'sandbox', 'policy', 'infra', 'insights'];
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

// A clone whose build is missing or stale: build it now, its output on stderr so that stdout keeps only
// the command's own; a failed build ends the command (exit 2) rather than running what it cannot trust.
function buildLibrary() {
  const { spawnSync } = require('node:child_process');
  process.stderr.write(
    'client-vpn-logging: lib/ is missing or older than the sources; building it (npm run build:lib)\n',
  );
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const build = spawnSync(npm, ['run', '-s', 'build:lib'], { cwd: ROOT, stdio: ['ignore', 2, 2] });
  if (build.status === 0 && existsSync(BUILT)) return true;
  process.stderr.write('client-vpn-logging: the build failed: run `npm ci`, then `npm run build:lib`\n');
  process.exitCode = 2;
  return false;
}

if (!existsSync(SOURCE) || builtIsCurrent() || buildLibrary())
  require(BUILT)
    .runClientVpnLogging(process.argv.slice(2))
    .catch((error) => {
      process.stderr.write(
        `client-vpn-logging: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exitCode = 2;
    });
