import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { Logger } from '@nestjs/common';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sha256Hex } from '@rapport/config';
import {
  ApiKeysFileError,
  createApiKeysFile,
  generateApiKey,
  readApiKeysFile,
} from './api-keys.file';

describe('the API keys file', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rapport-keys-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is absent until created', () => {
    expect(readApiKeysFile(join(dir, 'api-keys'))).toBeUndefined();
  });

  it('stores generated keys hashed, owner-only, and reads them back', () => {
    const path = join(dir, 'nested', 'api-keys');
    const generated = generateApiKey('admin');
    expect(generated.plain).toMatch(/^rk_[A-Za-z0-9_-]{43}$/);
    createApiKeysFile(path, [generated.stored], new Date('2026-11-27T00:00:00Z'));
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'nested')).mode & 0o777).toBe(0o700);
    expect(readApiKeysFile(path)).toEqual([generated.stored]);
    expect(generated.stored.sha256).toBe(sha256Hex(generated.plain));
  });

  it('never overwrites an existing file', () => {
    const path = join(dir, 'api-keys');
    createApiKeysFile(path, [], new Date());
    expect(() => createApiKeysFile(path, [], new Date())).toThrow(/EEXIST/);
  });

  it('refuses a malformed line by its number', () => {
    const path = join(dir, 'api-keys');
    writeFileSync(path, `# comment\n\nadmin sha256:${'a'.repeat(64)}\nroot sha256:zz\n`);
    expect(() => readApiKeysFile(path)).toThrow(ApiKeysFileError);
    expect(() => readApiKeysFile(path)).toThrow(/line 4/);
  });

  it('tightens a keys file that others may read, with a warning', () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => {});
    const path = join(dir, 'api-keys');
    writeFileSync(path, `admin sha256:${'a'.repeat(64)}\n`);
    chmodSync(path, 0o644);
    expect(readApiKeysFile(path)).toHaveLength(1);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('(mode 644): now 600'));
    warn.mockRestore();
  });
});
