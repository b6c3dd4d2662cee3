import type { ValueTier } from '@rapport/analytics';
import { DEFAULT_SIGNAL_RULES, type SignalRulesConfig } from '@rapport/signals';

export interface SignalsConfig {
  readonly rules: SignalRulesConfig;
  /** SIGNALS_TOPIC: where signals are published (with KAFKA_BROKERS set). */
  readonly topic: string;
  /** SIGNALS_PUBLISH: false derives and lists signals but publishes none. */
  readonly publish: boolean;
  /**
   * SIGNALS_SWEEP_SECONDS: how often every customer's time-passing rules (open complaint,
   * satisfaction check, freezing point) are evaluated at the latest event time seen (0: never).
   */
  readonly sweepSeconds: number;
  /**
   * SIGNALS_POPULATION_WINDOW_SECONDS: tier-move and win-back evaluate the population as of each
   * boundary of windows of this length that event time passes, and key their signals by it.
   */
  readonly populationWindowSeconds: number;
  /** SIGNALS_WEBHOOK_URL and its settings: a destination for CRMs that cannot read Kafka. */
  readonly webhook?: SignalWebhookConfig;
}

export interface SignalWebhookConfig {
  readonly url: string;
  /** SIGNALS_WEBHOOK_SECRET: the HMAC-SHA256 key both sides hold (at least 16 characters). */
  readonly secret: string;
  readonly maxAttempts: number;
  readonly ratePerSecond: number;
  readonly retryBaseMs: number;
  readonly retryMaxMs: number;
  readonly timeoutMs: number;
  /**
   * SIGNALS_WEBHOOK_START: what the webhook sends when first switched on over a ledger that
   * already holds signals: `now` (default) only those derived from then on; `backfill` every
   * entry not yet expired too.
   */
  readonly start: 'now' | 'backfill';
}

type Env = Readonly<Record<string, string | undefined>>;
type IntReader = (name: string, fallback: number, min: number, max: number) => number;

/** Each rule's switch and thresholds, every problem named with its variable. */
export function parseSignalsConfig(env: Env, int: IntReader, problems: string[]): SignalsConfig {
  const flag = (name: string, fallback: boolean): boolean => {
    const raw = env[name]?.trim().toLowerCase();
    if (!raw) return fallback;
    if (raw === 'true' || raw === '1') return true;
    if (raw === 'false' || raw === '0') return false;
    problems.push(`${name} must be true or false (got "${env[name]}")`);
    return fallback;
  };
  const decimal = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name]?.trim();
    if (!raw) return fallback;
    const value = Number(raw);
    if (!/^\d+(\.\d+)?$/.test(raw) || value < min || value > max) {
      problems.push(`${name} must be a number from ${min} to ${max} (got "${raw}")`);
      return fallback;
    }
    return value;
  };
  const d = DEFAULT_SIGNAL_RULES;
  const topic = env.SIGNALS_TOPIC?.trim() || 'customer-signals';
  if (!/^[A-Za-z0-9._-]{1,249}$/.test(topic))
    problems.push(`SIGNALS_TOPIC must be 1–249 of A–Z a–z 0–9 . _ - (got "${topic}")`);
  return {
    topic,
    publish: flag('SIGNALS_PUBLISH', true),
    sweepSeconds: int('SIGNALS_SWEEP_SECONDS', 60, 0, 86_400),
    populationWindowSeconds: int('SIGNALS_POPULATION_WINDOW_SECONDS', 86_400, 1, 31 * 86_400),
    ...webhookOf(env, int, problems),
    rules: {
      thankYou: {
        enabled: flag('SIGNALS_THANK_YOU', d.thankYou.enabled),
        milestones: milestones(env.SIGNALS_THANK_YOU_MILESTONES, d.thankYou.milestones, problems),
        largeOrderFactor: decimal(
          'SIGNALS_THANK_YOU_LARGE_ORDER_FACTOR',
          d.thankYou.largeOrderFactor,
          1,
          1000,
        ),
        largeOrderMinPrevious: int(
          'SIGNALS_THANK_YOU_LARGE_ORDER_MIN_PREVIOUS',
          d.thankYou.largeOrderMinPrevious,
          1,
          100,
        ),
        expiresAfterDays: int(
          'SIGNALS_THANK_YOU_EXPIRES_DAYS',
          d.thankYou.expiresAfterDays,
          1,
          3650,
        ),
      },
      complaintFollowUp: {
        enabled: flag('SIGNALS_COMPLAINT_FOLLOW_UP', d.complaintFollowUp.enabled),
        openAfterHours: int(
          'SIGNALS_COMPLAINT_OPEN_HOURS',
          d.complaintFollowUp.openAfterHours,
          1,
          8760,
        ),
        satisfactionAfterDays: int(
          'SIGNALS_COMPLAINT_SATISFACTION_DAYS',
          d.complaintFollowUp.satisfactionAfterDays,
          1,
          365,
        ),
        expiresAfterDays: int(
          'SIGNALS_COMPLAINT_EXPIRES_DAYS',
          d.complaintFollowUp.expiresAfterDays,
          1,
          3650,
        ),
      },
      cancellationSave: {
        enabled: flag('SIGNALS_CANCELLATION_SAVE', d.cancellationSave.enabled),
        recentOrders: int(
          'SIGNALS_CANCELLATION_RECENT_ORDERS',
          d.cancellationSave.recentOrders,
          1,
          100,
        ),
        share: decimal('SIGNALS_CANCELLATION_SHARE', d.cancellationSave.share, 0.01, 1),
        minCancellations: int(
          'SIGNALS_CANCELLATION_MIN',
          d.cancellationSave.minCancellations,
          1,
          100,
        ),
        expiresAfterDays: int(
          'SIGNALS_CANCELLATION_EXPIRES_DAYS',
          d.cancellationSave.expiresAfterDays,
          1,
          3650,
        ),
      },
      freezingPoint: {
        enabled: flag('SIGNALS_FREEZING_POINT', d.freezingPoint.enabled),
        gapMultiple: decimal('SIGNALS_FREEZING_GAP_MULTIPLE', d.freezingPoint.gapMultiple, 1, 100),
        minPurchases: int('SIGNALS_FREEZING_MIN_PURCHASES', d.freezingPoint.minPurchases, 3, 100),
        expiresAfterDays: int(
          'SIGNALS_FREEZING_EXPIRES_DAYS',
          d.freezingPoint.expiresAfterDays,
          1,
          3650,
        ),
      },
      tierMove: {
        enabled: flag('SIGNALS_TIER_MOVE', d.tierMove.enabled),
        up: flag('SIGNALS_TIER_MOVE_UP', d.tierMove.up),
        expiresAfterDays: int(
          'SIGNALS_TIER_MOVE_EXPIRES_DAYS',
          d.tierMove.expiresAfterDays,
          1,
          3650,
        ),
      },
      winBack: {
        enabled: flag('SIGNALS_WIN_BACK', d.winBack.enabled),
        tiers: winBackTiers(env.SIGNALS_WIN_BACK_TIERS, d.winBack.tiers, problems),
        alreadyHighLimit: int(
          'SIGNALS_WIN_BACK_ALREADY_HIGH_LIMIT',
          d.winBack.alreadyHighLimit,
          0,
          1_000_000,
        ),
        expiresAfterDays: int('SIGNALS_WIN_BACK_EXPIRES_DAYS', d.winBack.expiresAfterDays, 1, 3650),
      },
    },
  };
}

function milestones(raw: string | undefined, fallback: readonly number[], problems: string[]) {
  if (!raw?.trim()) return fallback;
  const values = raw.split(',').map((v) => v.trim());
  if (values.some((v) => !/^[1-9]\d{0,5}$/.test(v))) {
    problems.push(
      `SIGNALS_THANK_YOU_MILESTONES must be purchase counts such as 5,10,25 (got "${raw}")`,
    );
    return fallback;
  }
  return [...new Set(values.map(Number))].sort((a, b) => a - b);
}

function winBackTiers(
  raw: string | undefined,
  fallback: readonly ValueTier[],
  problems: string[],
): readonly ValueTier[] {
  if (!raw?.trim()) return fallback;
  const values = raw.split(',').map((v) => v.trim().toUpperCase());
  if (values.some((v) => v !== 'A' && v !== 'B' && v !== 'C')) {
    problems.push(
      `SIGNALS_WIN_BACK_TIERS must be value tiers among A, B, C such as A,B (got "${raw}")`,
    );
    return fallback;
  }
  return [...new Set(values as ValueTier[])].sort();
}

function webhookOf(
  env: Env,
  int: IntReader,
  problems: string[],
): { webhook?: SignalWebhookConfig } {
  const raw = env.SIGNALS_WEBHOOK_URL?.trim();
  if (!raw) return {};
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:'))
    problems.push(`SIGNALS_WEBHOOK_URL must be an http(s) URL (got "${raw}")`);
  const secret = env.SIGNALS_WEBHOOK_SECRET ?? '';
  if (secret.length < 16)
    problems.push(
      'SIGNALS_WEBHOOK_SECRET must be set, at least 16 characters, with SIGNALS_WEBHOOK_URL',
    );
  return {
    webhook: {
      url: raw,
      secret,
      maxAttempts: int('SIGNALS_WEBHOOK_MAX_ATTEMPTS', 10, 1, 100),
      ratePerSecond: int('SIGNALS_WEBHOOK_RATE_PER_SECOND', 10, 1, 1_000),
      retryBaseMs: int('SIGNALS_WEBHOOK_RETRY_BASE_MS', 1_000, 1, 3_600_000),
      retryMaxMs: int('SIGNALS_WEBHOOK_RETRY_MAX_MS', 3_600_000, 1, 86_400_000),
      timeoutMs: int('SIGNALS_WEBHOOK_TIMEOUT_MS', 10_000, 100, 300_000),
      start: webhookStart(env.SIGNALS_WEBHOOK_START, problems),
    },
  };
}

function webhookStart(raw: string | undefined, problems: string[]): 'now' | 'backfill' {
  const value = raw?.trim().toLowerCase() || 'now';
  if (value === 'now' || value === 'backfill') return value;
  problems.push(`SIGNALS_WEBHOOK_START must be now or backfill (got "${raw}")`);
  return 'now';
}
