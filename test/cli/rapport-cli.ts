import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');
export const CLI_ENTRY = join(ROOT, 'dist/apps/cli/apps/cli/src/main.js');

/** Newest modification time of the sources the CLI is built from. */
function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts') && !entry.name.includes('spec'))
      newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * The suite runs the real CLI entry with node: built once (`nest build cli`) when the build is
 * missing or older than its sources, which keeps each run well under a second.
 */
export function ensureCliBuilt(): void {
  const built = existsSync(CLI_ENTRY) ? statSync(CLI_ENTRY).mtimeMs : 0;
  const sources = Math.max(newestSource(join(ROOT, 'apps')), newestSource(join(ROOT, 'libs')));
  if (built > sources) return;
  execFileSync('npx', ['nest', 'build', 'cli'], { cwd: ROOT, stdio: 'ignore' });
}

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function rapport(
  args: readonly string[],
  env: Record<string, string>,
  cwd = ROOT,
): Promise<CliRun> {
  return new Promise((resolvePromise, reject) => {
    const base = { ...process.env };
    for (const name of ['REDIS_URL', 'KAFKA_BROKERS', 'EVENTSTORE_URL', 'REDIS_KEY_PREFIX'])
      delete base[name];
    const child = spawn(process.execPath, [CLI_ENTRY, ...args], {
      cwd,
      env: { ...base, LOG_LEVEL: 'silent', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
  });
}
