import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { checkFileRoles, roleOf } from './file-role-check';

const ROOT = resolve(__dirname, '../..');

function trackedFiles(): string[] {
  const out = execFileSync('git', ['ls-files', '-z', 'apps', 'libs'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  return out.split('\0').filter((path) => path.length > 0);
}

describe('file-role suffixes (CONTRIBUTING.md)', () => {
  it('every file in apps/ and libs/ has a listed role, an adapter name or an allowlist entry', () => {
    const { unlisted, stale } = checkFileRoles(trackedFiles());
    expect({ unlisted, stale }).toEqual({ unlisted: [], stale: [] });
  });

  it('a `.command.ts` is a CQRS command, never a CLI command (those are `.cli.ts`)', () => {
    const notCqrs = trackedFiles()
      .filter((path) => path.endsWith('.command.ts'))
      .filter(
        (path) =>
          !/\bCommand\b[^;]*from '@nestjs\/cqrs'/.test(readFileSync(join(ROOT, path), 'utf8')),
      );
    expect(notCqrs).toEqual([]);
  });

  it('takes the last dotted part of the name as the role', () => {
    expect(roleOf('apps/ingest/src/x/touchpoints.http.controller.ts')).toBe('controller');
    expect(roleOf('libs/a/src/b/thing.rule.spec.ts')).toBe('spec');
    expect(roleOf('apps/dashboard/src/pages/overview.page.tsx')).toBe('page');
    expect(roleOf('libs/recording/src/group-by-customer.ts')).toBeUndefined();
  });

  it('refuses a suffix outside the list, and accepts a port name as an adapter', () => {
    const files = [
      'libs/x/src/thing.port.ts',
      'libs/x/src/redis.thing.ts',
      'libs/x/src/plain-function.ts',
      'libs/x/src/foo.helper.ts',
    ];
    expect(checkFileRoles(files, [])).toEqual({
      unlisted: ['libs/x/src/foo.helper.ts (role "helper")'],
      stale: [],
    });
  });

  it('reports allowlist entries that are gone or no longer needed', () => {
    const files = ['libs/x/src/a.module.ts', 'libs/x/src/b.odd.ts'];
    const allowlist = ['libs/x/src/a.module.ts', 'libs/x/src/gone.odd.ts', 'libs/x/src/b.odd.ts'];
    expect(checkFileRoles(files, allowlist).stale).toEqual([
      'libs/x/src/a.module.ts',
      'libs/x/src/gone.odd.ts',
    ]);
  });
});
