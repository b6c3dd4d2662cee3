#!/usr/bin/env node
'use strict';
// The `rapport` command (`npm run rapport -- …`, or the package's bin): builds the CLI once, then
// runs it. Replays keep hundreds of megabytes young, so the CLI runs with 128 MB semi-spaces
// (docs/OPERATIONS.md, "Young generation"); a bin's first line cannot carry the flag portably,
// so without it the launcher starts Node once more with it.
const { spawn } = require('node:child_process');
const { constants } = require('node:os');
const { CLI_ENTRY, ensureCliBuilt } = require('./cli-build');

const FLAG = '--max-semi-space-size';
const hasFlag = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)].some(
  (arg) => arg.startsWith(FLAG),
);

try {
  ensureCliBuilt((text) => process.stderr.write(text));
} catch (error) {
  process.stderr.write(
    `rapport: the CLI build failed (npx nest build cli shows why): ${error.message}\n`,
  );
  process.exit(1);
}

if (hasFlag) {
  require(CLI_ENTRY);
} else {
  const child = spawn(process.execPath, [`${FLAG}=128`, CLI_ENTRY, ...process.argv.slice(2)], {
    stdio: 'inherit',
  });
  // The terminal sends Ctrl-C to both; the child decides how to stop, the launcher waits for it.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'])
    process.on(signal, () => signal !== 'SIGINT' && child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? 128 + (constants.signals[signal] ?? 0)));
}
