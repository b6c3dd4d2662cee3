import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import globalSetup from '../../support/global-setup';

/**
 * The shared dependency resolution, then one tsc build of the platform child: every crash
 * scenario starts the same compiled entry dozens of times, so it is compiled once per run.
 */
export default async function faultsGlobalSetup(): Promise<void> {
  await globalSetup();
  const started = Date.now();
  const root = join(__dirname, '..', '..', '..');
  // Same place as CHILD_BUILD_DIR in child-platform.ts (no path aliases in a global setup).
  const outDir = join(root, 'dist', 'faults');
  const result = spawnSync(
    process.execPath,
    [
      join(root, 'node_modules', 'typescript', 'bin', 'tsc'),
      '-p',
      join(root, 'test', 'faults', 'tsconfig.child.json'),
      '--outDir',
      outDir,
    ],
    { cwd: root, encoding: 'utf8' },
  );
  if (result.status !== 0)
    throw new Error(`building the platform child failed:\n${result.stdout}${result.stderr}`);
  process.stdout.write(`\n[faults] platform child built in ${Date.now() - started} ms\n`);
}
