#!/usr/bin/env node
// The package's bin: a plain JavaScript file so that it runs wherever Node does. From a clone (after
// `npm ci`) it runs the TypeScript program through tsx; an installed package runs the build in lib/.
'use strict';

// The SDK warns on every process on Node < 22 that its 2027 releases will need Node 22. This project
// supports Node >= 20 until then (package.json engines), so that one warning is silenced deliberately,
// before any SDK client is built. A value the user set is kept.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const { existsSync } = require('node:fs');
const { join } = require('node:path');

function loadProgram() {
  const source = join(__dirname, '..', 'cli', 'client-vpn-logging.ts');
  if (existsSync(source)) {
    try {
      require.resolve('tsx/cjs/api');
    } catch {
      return require(join(__dirname, '..', 'lib', 'cli', 'client-vpn-logging.js'));
    }
    require('tsx/cjs/api').register();
    return require(source);
  }
  return require(join(__dirname, '..', 'lib', 'cli', 'client-vpn-logging.js'));
}

loadProgram()
  .runClientVpnLogging(process.argv.slice(2))
  .catch((error) => {
    process.stderr.write(
      `client-vpn-logging: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 2;
  });
