import { setTimeout as sleep } from 'node:timers/promises';
import { Logger } from '@nestjs/common';
import { signalContent } from '@rapport/signals';
import type { SqliteWebhookLedger, WebhookDue } from './sqlite.webhook-ledger';
import {
  signWebhook,
  WEBHOOK_IDEMPOTENCY_HEADER,
  WEBHOOK_SIGNATURE_HEADER,
} from './webhook-signature';

export interface SignalWebhookOptions {
  readonly url: string;
  readonly secret: string;
  /** Attempts before an entry is dead-lettered. */
  readonly maxAttempts: number;
  /** Requests per second at most. */
  readonly ratePerSecond: number;
  /** Backoff: a random wait up to min(maxMs, baseMs × 2^(attempt − 1)) ("full jitter"). */
  readonly retry: { readonly baseMs: number; readonly maxMs: number };
  readonly timeoutMs: number;
}

/** What the webhook needs of the world: a clock, randomness for the jitter, and HTTP. */
export interface WebhookEnvironment {
  readonly now: () => number;
  readonly random: () => number;
  readonly post: (
    url: string,
    body: string,
    headers: Record<string, string>,
    timeoutMs: number,
  ) => Promise<{ status: number }>;
}

export const NODE_WEBHOOK_ENVIRONMENT: WebhookEnvironment = {
  now: () => Date.now(),
  random: () => Math.random(),
  post: async (url, body, headers, timeoutMs) => {
    const response = await fetch(url, {
      method: 'POST',
      body,
      headers,
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'error',
    });
    // The body is not needed; reading it frees the connection for the next request.
    await response.arrayBuffer().catch(() => undefined);
    return { status: response.status };
  },
};

const BATCH = 50;

/**
 * Delivers the ledger's signals to a webhook at least once: each POST carries the signal's JSON
 * (the same bytes as on Kafka), signed with the shared secret over a timestamp, and the signal id
 * as the idempotency key, so a receiver drops a redelivery. A 2xx marks it delivered; a network
 * error, timeout, 408, 429 or 5xx is retried with exponential backoff and jitter; another 4xx, or
 * `maxAttempts` failures, dead-letters it (logged and counted; the ledger keeps why). Requests
 * are spaced to the rate limit and made one at a time, apart from the projector and Kafka.
 */
export class SignalWebhook {
  private readonly logger = new Logger('SignalWebhook');
  private nextSlot = 0;

  constructor(
    private readonly ledger: SqliteWebhookLedger,
    private readonly options: SignalWebhookOptions,
    private readonly environment: WebhookEnvironment = NODE_WEBHOOK_ENVIRONMENT,
    private readonly onDeadLetter: (signalId: string) => void = () => undefined,
  ) {}

  /** Hands new ledger entries over and tries those due; returns how many were attempted. */
  async step(watermark: string | null): Promise<number> {
    while (this.ledger.enqueueNew(watermark) > 0);
    const due = this.ledger.due(this.environment.now(), BATCH);
    for (const entry of due) await this.attempt(entry);
    return due.length;
  }

  private async attempt(entry: WebhookDue): Promise<void> {
    await this.rateLimit();
    const body = signalContent(entry.signal);
    const attempts = entry.attempts + 1;
    const timestamp = Math.floor(this.environment.now() / 1_000);
    let failure: { error: string; retryable: boolean };
    try {
      const { status } = await this.environment.post(
        this.options.url,
        body,
        {
          'content-type': 'application/json',
          [WEBHOOK_SIGNATURE_HEADER]: signWebhook(this.options.secret, timestamp, body),
          [WEBHOOK_IDEMPOTENCY_HEADER]: entry.signal.id,
          'rapport-signal-rule': entry.signal.rule,
        },
        this.options.timeoutMs,
      );
      if (status >= 200 && status < 300) {
        this.ledger.delivered(entry.seq, attempts);
        return;
      }
      failure = {
        error: `HTTP ${status}`,
        retryable: status >= 500 || status === 408 || status === 429,
      };
    } catch (error) {
      failure = { error: error instanceof Error ? error.message : String(error), retryable: true };
    }
    if (failure.retryable && attempts < this.options.maxAttempts) {
      const { baseMs, maxMs } = this.options.retry;
      const ceiling = Math.min(maxMs, baseMs * 2 ** (attempts - 1));
      const wait = Math.round(this.environment.random() * ceiling);
      this.ledger.retryAt(entry.seq, attempts, this.environment.now() + wait, failure.error);
      return;
    }
    this.ledger.dead(entry.seq, attempts, failure.error);
    this.onDeadLetter(entry.signal.id);
    this.logger.error(
      `signal ${entry.signal.id} dead-lettered for the webhook after ${attempts} attempt(s): ` +
        `${failure.error}${failure.retryable ? '' : ' (refused: not retried)'}`,
    );
  }

  /**
   * The next slot counts from when this request actually goes, not from when it was due: a
   * wait that overran (a busy loop) would otherwise let the next one follow closer than the
   * receiver's limit.
   */
  private async rateLimit(): Promise<void> {
    const wait = this.nextSlot - this.environment.now();
    if (wait > 0) await sleep(wait);
    this.nextSlot = this.environment.now() + 1_000 / this.options.ratePerSecond;
  }
}
