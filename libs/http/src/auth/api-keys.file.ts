import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { API_ROLES, apiKeyId, sha256Hex, type ApiRole } from '@rapport/config';
import { ownerOnlyDirectory, ownerOnlyFile } from '@rapport/event-store';
import type { StoredApiKey } from './api-key.authenticator';

export const API_KEYS_FILE_NAME = 'api-keys';

export class ApiKeysFileError extends Error {
  readonly code = 'API_KEYS_FILE_INVALID';
  readonly retryable = false;
  constructor(path: string, problems: readonly string[]) {
    super(`${path} is not a valid API keys file:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ApiKeysFileError';
  }
}

/**
 * The keys file holds one key per line, `<role> sha256:<hex> [note]`, and `#` comments. Only
 * hashes are stored, so the file is no secret by itself; it is still written 0600. Add a key
 * by hand with: printf '%s' "$KEY" | sha256sum.
 */
export function readApiKeysFile(path: string): StoredApiKey[] | undefined {
  if (!existsSync(path)) return undefined;
  ownerOnlyFile(path);
  const problems: string[] = [];
  const keys: StoredApiKey[] = [];
  readFileSync(path, 'utf8')
    .split(/\r?\n/)
    .forEach((line, index) => {
      const text = line.trim();
      if (!text || text.startsWith('#')) return;
      const [role, hash] = text.split(/\s+/);
      const hex = /^sha256:([0-9a-f]{64})$/.exec(hash ?? '')?.[1];
      if (!(API_ROLES as readonly string[]).includes(role) || !hex) {
        problems.push(
          `line ${index + 1} must be "<${API_ROLES.join('|')}> sha256:<64 hex digits>"`,
        );
        return;
      }
      keys.push({ id: apiKeyId(hex), role: role as ApiRole, sha256: hex });
    });
  if (problems.length) throw new ApiKeysFileError(path, problems);
  return keys;
}

export interface GeneratedApiKey {
  readonly plain: string;
  readonly stored: StoredApiKey;
}

/** 256 random bits, URL-safe; the prefix makes a leaked key easy to spot in a scanner. */
export function generateApiKey(role: ApiRole): GeneratedApiKey {
  const plain = `rk_${randomBytes(32).toString('base64url')}`;
  const sha256 = sha256Hex(plain);
  return { plain, stored: { id: apiKeyId(sha256), role, sha256 } };
}

/** Creates the file (never overwrites one: two processes starting at once can't both win). */
export function createApiKeysFile(path: string, keys: readonly StoredApiKey[], now: Date): void {
  ownerOnlyDirectory(dirname(path));
  const lines = [
    '# Rapport API keys: one per line, "<role> sha256:<hex of the key>".',
    '# Roles: analyst (read), ingest (write touchpoints), admin (everything).',
    `# Add a key: printf '%s' "$KEY" | sha256sum; remove a line to revoke; restart to apply.`,
    ...keys.map((k) => `${k.role} sha256:${k.sha256} generated ${now.toISOString()}`),
    '',
  ];
  writeFileSync(path, lines.join('\n'), { mode: 0o600, flag: 'wx' });
}
