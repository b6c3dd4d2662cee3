import { createHash } from 'node:crypto';

/**
 * `analyst` reads, `ingest` writes touchpoints, `admin` may do everything. `segment` is a
 * Segment write key: it may only send Segment calls (POST /v1/segment/*), since web trackers
 * ship it inside pages and apps for anyone to read.
 */
export const API_ROLES = ['analyst', 'ingest', 'admin', 'segment'] as const;
export type ApiRole = (typeof API_ROLES)[number];

export interface ConfiguredApiKey {
  /** A short fingerprint (hash prefix): safe to log and to key rate limits by. */
  readonly id: string;
  readonly role: ApiRole;
  /** Hex SHA-256 of the key: the plain key is dropped as soon as it is read. */
  readonly sha256: string;
}

export interface HttpConfig {
  /** From RAPPORT_API_KEYS; keys in DATA_DIR/api-keys are added at start. */
  readonly apiKeys: readonly ConfiguredApiKey[];
  /** Origins allowed by CORS; empty: CORS stays off. */
  readonly corsOrigins: readonly string[];
  /**
   * Requests per key and window; `unauthenticated`: requests per client address, in the same
   * window, that bring no key or one that is not known. A limit of 0 switches that limit off.
   */
  readonly rateLimit: {
    readonly limit: number;
    readonly windowSeconds: number;
    readonly unauthenticated: number;
  };
  /** Longest a read waits for the projector to reach the position it asked for. */
  readonly readYourWritesTimeoutMs: number;
}

type Env = Readonly<Record<string, string | undefined>>;
type IntReader = (name: string, fallback: number, min: number, max: number) => number;

/** Keys are bearer secrets: long and from a URL-safe alphabet, so `key:role,…` parses. */
export const API_KEY_PATTERN = /^[A-Za-z0-9._~+/=-]{20,256}$/;

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

export function apiKeyId(sha256: string): string {
  return sha256.slice(0, 12);
}

export function parseHttpConfig(env: Env, int: IntReader, problems: string[]): HttpConfig {
  return {
    apiKeys: parseApiKeys(env.RAPPORT_API_KEYS, problems),
    corsOrigins: parseOrigins(env.CORS_ORIGINS, problems),
    rateLimit: {
      limit: int('RATE_LIMIT_REQUESTS', 1200, 0, 10_000_000),
      windowSeconds: int('RATE_LIMIT_WINDOW_SECONDS', 60, 1, 86_400),
      unauthenticated: int('RATE_LIMIT_UNAUTHENTICATED_REQUESTS', 60, 0, 10_000_000),
    },
    readYourWritesTimeoutMs: int('READ_YOUR_WRITES_TIMEOUT_MS', 5_000, 0, 60_000),
  };
}

function parseApiKeys(raw: string | undefined, problems: string[]): ConfiguredApiKey[] {
  if (!raw?.trim()) return [];
  const keys: ConfiguredApiKey[] = [];
  raw.split(',').forEach((entry, index) => {
    const trimmed = entry.trim();
    if (!trimmed) return;
    const colon = trimmed.lastIndexOf(':');
    const key = colon > 0 ? trimmed.slice(0, colon) : '';
    const role = colon > 0 ? trimmed.slice(colon + 1) : trimmed;
    // Never echo a key into an error message: name the entry by its place in the list.
    if (!API_KEY_PATTERN.test(key)) {
      problems.push(
        `RAPPORT_API_KEYS entry ${index + 1} must be <key>:<role> with a key of 20–256 of A–Z a–z 0–9 . _ ~ + / = -`,
      );
      return;
    }
    if (!(API_ROLES as readonly string[]).includes(role)) {
      problems.push(
        `RAPPORT_API_KEYS entry ${index + 1} has role "${role}"; roles are ${API_ROLES.join(', ')}`,
      );
      return;
    }
    const sha256 = sha256Hex(key);
    if (keys.some((k) => k.sha256 === sha256)) {
      problems.push(`RAPPORT_API_KEYS entry ${index + 1} repeats an earlier key`);
      return;
    }
    keys.push({ id: apiKeyId(sha256), role: role as ApiRole, sha256 });
  });
  return keys;
}

function parseOrigins(raw: string | undefined, problems: string[]): string[] {
  if (!raw?.trim()) return [];
  const origins = raw
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  for (const origin of origins) {
    let ok = false;
    try {
      const url = new URL(origin);
      ok = ['http:', 'https:'].includes(url.protocol) && url.origin === origin;
    } catch {
      ok = false;
    }
    if (!ok)
      problems.push(
        `CORS_ORIGINS must list origins such as https://app.example.com (bad: ${origin})`,
      );
  }
  return origins;
}
