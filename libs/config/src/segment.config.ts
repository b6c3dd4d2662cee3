/** The Segment-compatible ingest (POST /v1/segment/*). Write keys are API keys with role `segment`. */
export interface SegmentConfig {
  /**
   * SEGMENT_DEFAULT_CURRENCY: the currency of an order whose `properties.currency` is absent
   * (trackers often leave it out). Unset: such an order is refused, naming the field.
   */
  readonly defaultCurrency?: string;
}

type Env = Readonly<Record<string, string | undefined>>;

export function parseSegmentConfig(env: Env, problems: string[]): SegmentConfig {
  const raw = env.SEGMENT_DEFAULT_CURRENCY?.trim();
  if (!raw) return {};
  if (!/^[A-Z]{3}$/.test(raw)) {
    problems.push(`SEGMENT_DEFAULT_CURRENCY must be an ISO 4217 code such as EUR (got "${raw}")`);
    return {};
  }
  return { defaultCurrency: raw };
}
