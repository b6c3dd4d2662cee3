import { join } from 'node:path';

/** Where customers' data keys live, and whether personal fields are encrypted at all. */
export interface PrivacyConfig {
  /**
   * PERSONAL_DATA_ENCRYPTION: 'on' (default) seals personal fields with the customer's key
   * before they are stored; 'off' stores them as they come (benchmarks; no erasure possible).
   */
  readonly encryption: 'on' | 'off';
  /** KEY_STORE_URL (redis://…) for a scale-out deployment; otherwise DATA_DIR/keys.sqlite. */
  readonly keyStore:
    | { readonly kind: 'sqlite'; readonly path: string }
    | { readonly kind: 'redis'; readonly url: string };
  /**
   * DEAD_LETTER_KEY_DAYS (7): how long a dead letter that names no customer (no Kafka key, no
   * customerId in its value) stays readable. Such letters are sealed with a key of their UTC
   * day, destroyed this many days after that day ends.
   */
  readonly deadLetterKeyDays: number;
}

type Env = Readonly<Record<string, string | undefined>>;
type UrlReader = (name: string, protocols: readonly string[]) => string | undefined;
type IntReader = (name: string, fallback: number, min: number, max: number) => number;

export function parsePrivacyConfig(
  env: Env,
  dataDir: string,
  url: UrlReader,
  problems: string[],
  int: IntReader,
): PrivacyConfig {
  const encryption = env.PERSONAL_DATA_ENCRYPTION?.trim() || 'on';
  if (encryption !== 'on' && encryption !== 'off')
    problems.push(`PERSONAL_DATA_ENCRYPTION must be one of on, off (got "${encryption}")`);
  const keyStoreUrl = url('KEY_STORE_URL', ['redis:', 'rediss:']);
  return {
    encryption: encryption === 'off' ? 'off' : 'on',
    keyStore: keyStoreUrl
      ? { kind: 'redis', url: keyStoreUrl }
      : { kind: 'sqlite', path: join(dataDir, 'keys.sqlite') },
    deadLetterKeyDays: int('DEAD_LETTER_KEY_DAYS', 7, 1, 3650),
  };
}
