import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { findDashboardDir } from '@rapport/http';

/**
 * The dashboard bundle, built now when `npm test`'s pretest step did not (a spec run on its
 * own with `npx jest`). Returns its directory.
 */
export function ensureDashboardBuilt(): string {
  const existing = findDashboardDir();
  if (existing) return existing;
  const root = join(__dirname, '..', '..');
  execFileSync(
    process.execPath,
    [
      require.resolve('vite/bin/vite.js'),
      'build',
      '--config',
      'apps/dashboard/vite.config.ts',
      '--logLevel',
      'warn',
    ],
    { cwd: root, stdio: 'inherit' },
  );
  const built = findDashboardDir();
  if (!built) throw new Error('the dashboard build wrote no dist/dashboard/index.html');
  return built;
}
