import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeKeyStoreContract } from '../../testing/key-store.contract';
import { SqliteKeyStore } from './sqlite.key-store';

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
function tempFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rapport-keys-'));
  dirs.push(dir);
  return join(dir, 'keys.sqlite');
}

const sqlitePaths = new WeakMap<object, string>();
describeKeyStoreContract(
  'sqlite',
  async () => {
    const path = tempFile();
    const store = new SqliteKeyStore(path);
    sqlitePaths.set(store, path);
    return store;
  },
  async (first) => new SqliteKeyStore(sqlitePaths.get(first)!),
);

describe('when a SQLite key is destroyed', () => {
  it('leaves no copy of it in the file or its -wal (secure_delete, TRUNCATE checkpoint)', async () => {
    const path = tempFile();
    const store = new SqliteKeyStore(path);
    const key = (await store.getOrCreateMany(['C-1'])).get('C-1')!;
    const files = () => Buffer.concat([readFileSync(path), readFileSync(`${path}-wal`)]);
    expect(files().includes(key.material)).toBe(true);
    await store.destroy('C-1');
    expect(files().includes(key.material)).toBe(false);
    expect(files().includes(Buffer.from(key.keyId))).toBe(false);
    await store.close();
  });

  it('is gone for another process too (the same file, opened apart)', async () => {
    const path = tempFile();
    const writer = new SqliteKeyStore(path);
    const reader = new SqliteKeyStore(path);
    await writer.getOrCreateMany(['C-1']);
    expect((await reader.getMany(['C-1'])).size).toBe(1);
    await writer.destroy('C-1');
    expect((await reader.getMany(['C-1'])).size).toBe(0);
    await writer.close();
    await reader.close();
  });
});
