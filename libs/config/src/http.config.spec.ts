import { ConfigError, loadConfig } from './rapport.config';
import { sha256Hex } from './http.config';

describe('HTTP configuration', () => {
  it('has safe defaults: no keys, CORS off, a rate limit, a 5 s read-your-writes wait', () => {
    expect(loadConfig({}).http).toEqual({
      apiKeys: [],
      corsOrigins: [],
      rateLimit: { limit: 1200, windowSeconds: 60, unauthenticated: 60 },
      readYourWritesTimeoutMs: 5000,
    });
  });

  it('keeps only the hashes of RAPPORT_API_KEYS', () => {
    const key = 'k'.repeat(24);
    const config = loadConfig({ RAPPORT_API_KEYS: ` ${key}:analyst , ${'j'.repeat(30)}:admin` });
    expect(config.http.apiKeys).toEqual([
      { id: sha256Hex(key).slice(0, 12), role: 'analyst', sha256: sha256Hex(key) },
      expect.objectContaining({ role: 'admin' }),
    ]);
    expect(JSON.stringify(config)).not.toContain(key);
  });

  it('refuses short keys, unknown roles and repeats without echoing a key', () => {
    const secret = 'short-secret';
    let error: ConfigError | undefined;
    try {
      loadConfig({
        RAPPORT_API_KEYS: `${secret}:admin,${'a'.repeat(20)}:root,${'b'.repeat(20)}:admin,${'b'.repeat(20)}:analyst`,
        CORS_ORIGINS: 'https://ok.example,not a url',
      });
    } catch (e) {
      error = e as ConfigError;
    }
    expect(error?.problems).toEqual([
      expect.stringMatching(/RAPPORT_API_KEYS entry 1 must be <key>:<role>/),
      'RAPPORT_API_KEYS entry 2 has role "root"; roles are analyst, ingest, admin, segment',
      'RAPPORT_API_KEYS entry 4 repeats an earlier key',
      expect.stringMatching(/CORS_ORIGINS .*not a url/),
    ]);
    expect(error?.message).not.toContain(secret);
  });
});
