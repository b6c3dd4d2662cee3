import { Inject, Injectable, Optional } from '@nestjs/common';
import { RAPPORT_CONFIG, type RapportConfig } from '@rapport/config';
import {
  INSIGHTS_ENGINE,
  INSIGHTS_REFRESH,
  type InsightsEngine,
  type InsightsRefresh,
  type InsightsSnapshot,
} from '@rapport/insights';
import { ProblemDetailsException, serviceUnavailable } from '@rapport/http/problems';
import type { PageCursor } from './page-cursor';

/** Replaced snapshots kept at most, whatever the cursor lifetime: each holds every row. */
export const MAX_REPLACED_SNAPSHOTS = 3;

/**
 * The insights snapshot a query reads: the current one, one computed as of a given date, or
 * the one a list cursor was cut from. A snapshot replaced by a refresh is kept for the cursor
 * lifetime (LIST_CURSOR_TTL_SECONDS) so that a listing paged across the refresh stays one
 * consistent ordering: no customer twice, none skipped, whatever their values did meanwhile.
 */
@Injectable()
export class SnapshotSource {
  private latest: InsightsSnapshot | undefined;
  /** By version, oldest first; each with the time (ms) it may be dropped. */
  private readonly replaced = new Map<number, { snapshot: InsightsSnapshot; until: number }>();
  private readonly ttlMs: number;
  private readonly waitMs: number;
  /** An on-demand refresh for a read that named a position the snapshot lacks; one at a time. */
  private refreshing: Promise<InsightsSnapshot> | undefined;

  constructor(
    @Inject(INSIGHTS_ENGINE) private readonly engine: InsightsEngine,
    @Inject(RAPPORT_CONFIG) config: RapportConfig,
    // In the platform the refresher runs here too: join its refresh instead of racing it.
    @Optional() @Inject(INSIGHTS_REFRESH) private readonly refresher?: InsightsRefresh,
  ) {
    this.ttlMs = config.insights.listCursorTtlSeconds * 1000;
    this.waitMs = config.http.readYourWritesTimeoutMs;
  }

  /**
   * The snapshot to answer from. With `minPosition` (read-your-writes) it must have been
   * computed from views that include that position: the guard has already waited for the
   * projector, so a snapshot behind it is recomputed on demand, waiting at most
   * READ_YOUR_WRITES_TIMEOUT_MS before a 503 that names the position the snapshot has.
   */
  async get(asOf?: string, minPosition?: bigint): Promise<InsightsSnapshot> {
    if (asOf) return this.engine.asOf(asOf, minPosition);
    const snapshot = await this.currentOrNotReady();
    if (minPosition === undefined || covers(snapshot, minPosition)) return snapshot;
    return this.refreshedPast(snapshot, minPosition);
  }

  private async currentOrNotReady(): Promise<InsightsSnapshot> {
    const snapshot = await this.engine.current();
    if (!snapshot) {
      throw new ProblemDetailsException(
        {
          title: 'Service unavailable',
          status: 503,
          code: 'INSIGHTS_NOT_READY',
          detail:
            'tiers and churn insights are computed once the projector has caught up; retry shortly',
        },
        { 'Retry-After': '5' },
      );
    }
    if (snapshot !== this.latest) this.replace(snapshot);
    this.dropExpired();
    return snapshot;
  }

  /**
   * The snapshot to cut a list page from: the cursor's own, else the current one. The pages of
   * a listing stay on its first page's snapshot, so a later page cannot move past a position.
   */
  async forPage(after: PageCursor | undefined, minPosition?: bigint): Promise<InsightsSnapshot> {
    const version = after?.snapshotVersion;
    const current = await this.get(undefined, version === undefined ? minPosition : undefined);
    if (version === undefined || version === current.version)
      return this.pinned(current, minPosition);
    const kept = this.replaced.get(version);
    if (kept) return this.pinned(kept.snapshot, minPosition);
    if (version > current.version) {
      // Another instance saved it and this one has not read the version key since.
      throw new ProblemDetailsException(
        {
          title: 'Service unavailable',
          status: 503,
          code: 'SNAPSHOT_NOT_LOADED',
          detail: `the cursor pages insights snapshot ${version}, which this instance has not loaded yet; retry shortly`,
        },
        { 'Retry-After': '1' },
      );
    }
    throw new ProblemDetailsException({
      title: 'Gone',
      status: 410,
      code: 'CURSOR_EXPIRED',
      detail:
        `the cursor pages insights snapshot ${version}, replaced by ${current.version} and no longer kept ` +
        `(cursors last ${this.ttlMs / 1000} s after a refresh); list again from the first page, or ask for ` +
        'the whole list as CSV in one request',
    });
  }

  private async refreshedPast(
    behind: InsightsSnapshot,
    minPosition: bigint,
  ): Promise<InsightsSnapshot> {
    this.refreshing ??= (this.refresher?.refreshNow() ?? this.engine.refresh()).finally(
      () => (this.refreshing = undefined),
    );
    const pending = this.refreshing;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), this.waitMs);
      timer.unref();
    });
    try {
      const refreshed = await Promise.race([pending, timeout]);
      if (refreshed && covers(refreshed, minPosition)) {
        this.replace(refreshed);
        return refreshed;
      }
    } finally {
      clearTimeout(timer);
    }
    // Still refreshing (or refreshed from a projector not yet past it): a retry gets it.
    pending.catch(() => undefined);
    throw serviceUnavailable(
      `the insights have not been recomputed past position ${minPosition} within ${this.waitMs} ms ` +
        `(the current snapshot covers position ${behind.position}); retry shortly`,
      'INSIGHTS_BEHIND',
      1,
      { position: behind.position },
    );
  }

  /** A listing's snapshot is never replaced under it: a position it lacks means a new listing. */
  private pinned(snapshot: InsightsSnapshot, minPosition: bigint | undefined): InsightsSnapshot {
    if (minPosition === undefined || covers(snapshot, minPosition)) return snapshot;
    throw new ProblemDetailsException({
      title: 'Conflict',
      status: 409,
      code: 'CURSOR_BEFORE_POSITION',
      detail:
        `the cursor pages insights snapshot ${snapshot.version}, computed at position ${snapshot.position}, ` +
        `before ${minPosition}: list again from the first page with the same X-Min-Position`,
    });
  }

  private replace(snapshot: InsightsSnapshot): void {
    if (this.latest && this.latest.version !== snapshot.version && this.ttlMs > 0)
      this.replaced.set(this.latest.version, {
        snapshot: this.latest,
        until: Date.now() + this.ttlMs,
      });
    this.replaced.delete(snapshot.version);
    this.latest = snapshot;
  }

  private dropExpired(): void {
    const now = Date.now();
    for (const [version, { until }] of this.replaced)
      if (until <= now || this.replaced.size > MAX_REPLACED_SNAPSHOTS)
        this.replaced.delete(version);
  }
}

function covers(snapshot: InsightsSnapshot, position: bigint): boolean {
  return BigInt(snapshot.position) >= position;
}
