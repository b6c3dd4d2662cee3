import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import request from 'supertest';
import { startPlatform, type RunningPlatform } from '@rapport/test-support';

/** The embedded default without any configured key: one command still gives a working key. */
describe('first start without API keys', () => {
  let stderr: string;
  let logs: string;
  let restoreStderr: () => void;

  const captureStderr = () => {
    stderr = '';
    const original = process.stderr.write.bind(process.stderr);
    // Swallowed, not passed on: the test output must not show keys either.
    process.stderr.write = ((chunk: string | Uint8Array) => {
      stderr += chunk.toString();
      return true;
    }) as typeof process.stderr.write;
    restoreStderr = () => {
      process.stderr.write = original;
    };
  };
  const start = async (dataDir?: string): Promise<RunningPlatform> => {
    const stream = new PassThrough();
    logs = '';
    stream.on('data', (chunk) => (logs += chunk.toString()));
    captureStderr();
    try {
      return await startPlatform({ RAPPORT_API_KEYS: '', LOG_LEVEL: 'info' }, dataDir, {
        logs: stream,
      });
    } finally {
      restoreStderr();
    }
  };

  it('generates an admin key once, stores only its hash 0600, prints it once, reuses it later', async () => {
    const first = await start();
    const printed = /\b(rk_[A-Za-z0-9_-]{43})\b/.exec(stderr)?.[1];
    expect(printed).toBeDefined();
    expect(stderr).toContain(`curl -H "Authorization: Bearer ${printed}"`);
    expect(logs).not.toContain(printed);
    expect(logs).toContain('generated admin key');

    const file = join(first.dataDir, 'api-keys');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const stored = readFileSync(file, 'utf8');
    expect(stored).not.toContain(printed);
    expect(stored).toMatch(/^admin sha256:[0-9a-f]{64} /m);

    const asAdmin = (url: string) =>
      request(url).get('/v1/customers/C-none').set('Authorization', `Bearer ${printed}`);
    await asAdmin(first.url).expect(404);
    await request(first.url).get('/v1/customers/C-none').expect(401);
    await first.stop();

    const second = await start(first.dataDir);
    try {
      expect(stderr).not.toMatch(/rk_/);
      expect(readFileSync(file, 'utf8')).toBe(stored);
      await asAdmin(second.url).expect(404);
    } finally {
      await second.destroy();
    }
  });

  it('generates nothing when RAPPORT_API_KEYS is set', async () => {
    captureStderr();
    let platform: RunningPlatform | undefined;
    try {
      platform = await startPlatform();
    } finally {
      restoreStderr();
    }
    try {
      expect(stderr).not.toMatch(/rk_/);
      expect(() => statSync(join(platform!.dataDir, 'api-keys'))).toThrow(/ENOENT/);
    } finally {
      await platform?.destroy();
    }
  });
});
