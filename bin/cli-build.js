'use strict';
// Builds the CLI once: when dist is missing or older than any source it is built from. Shared by
// the `rapport` launcher and the CLI tests, so both run exactly what a user runs.
const { execFileSync } = require('node:child_process');
const { existsSync, readdirSync, statSync } = require('node:fs');
const { join, resolve } = require('node:path');

const ROOT = resolve(__dirname, '..');
const CLI_ENTRY = join(ROOT, 'dist/apps/cli/apps/cli/src/main.js');
const SOURCE_DIRS = ['apps', 'libs'].map((dir) => join(ROOT, dir));

/** Newest modification time of the non-test TypeScript sources below `dir`. */
function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts') && !entry.name.includes('spec'))
      newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

function cliBuildIsCurrent() {
  if (!existsSync(CLI_ENTRY)) return false;
  const built = statSync(CLI_ENTRY).mtimeMs;
  return SOURCE_DIRS.every((dir) => !existsSync(dir) || newestSource(dir) < built);
}

/** Builds dist/apps/cli when it is not current; `say` hears about it (stderr, not stdout). */
function ensureCliBuilt(say = () => undefined) {
  if (cliBuildIsCurrent()) return;
  say('rapport: building the CLI once (dist/apps/cli is missing or older than its sources)…\n');
  const nest = join(ROOT, 'node_modules/@nestjs/cli/bin/nest.js');
  execFileSync(process.execPath, [nest, 'build', 'cli'], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

module.exports = { CLI_ENTRY, ROOT, cliBuildIsCurrent, ensureCliBuilt };
