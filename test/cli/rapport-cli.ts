import { spawn } from 'node:child_process';
import { CLI_ENTRY, ensureCliBuilt, ROOT } from '../../bin/cli-build';

export { CLI_ENTRY };

/**
 * The suite runs the real CLI entry with node, built once by the same step as `npm run rapport`
 * (when the build is missing or older than its sources), which keeps each run under a second.
 */
export { ensureCliBuilt };

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
