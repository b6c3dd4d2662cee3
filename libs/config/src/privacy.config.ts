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
}

type Env = Readonly<Record<string, string | undefined>>;
type UrlReader = (name: string, protocols: readonly string[]) => string | undefined;

export function parsePrivacyConfig(
  env: Env,
  dataDir: string,
  url: UrlReader,
  problems: string[],
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
  };
}
