import { Inject, Injectable } from '@nestjs/common';
import { ThrottlerStorage } from '@nestjs/throttler';
import { RAPPORT_CONFIG, type RapportConfig } from '@rapport/config';

/**
 * The budget of requests that bring no key or an unknown one, per client address: a client
 * hammering the API without a valid key gets 429 instead of a 401 for every request. Kept apart
 * from the per-key budgets (same storage, its own throttler name), so a request with a valid key
 * never spends it and analysts behind the same address as a misconfigured client still get in.
 */
@Injectable()
export class UnauthenticatedRateLimit {
  private readonly limit: number;
  private readonly windowMs: number;

  constructor(
    @Inject(ThrottlerStorage) private readonly storage: ThrottlerStorage,
    @Inject(RAPPORT_CONFIG) config: RapportConfig,
  ) {
    this.limit = config.http.rateLimit.unauthenticated;
    this.windowMs = config.http.rateLimit.windowSeconds * 1000;
  }

  /** Counts one refused request from `address`: the seconds to wait once it is over budget. */
  async overBudget(address: string): Promise<number | undefined> {
    if (this.limit === 0) return undefined;
    const hits = await this.storage.increment(
      `unauthenticated:${address}`,
      this.windowMs,
      this.limit,
      0,
      'unauthenticated',
    );
    return hits.isBlocked ? hits.timeToBlockExpire : undefined;
  }
}
