import { Inject, Injectable } from '@nestjs/common';
import { RAPPORT_CONFIG, type RapportConfig } from '@rapport/config';
import { INSIGHTS_ENGINE, type InsightsEngine, type InsightsSnapshot } from '@rapport/insights';
import { ProblemDetailsException } from '@rapport/http';
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

  constructor(
    @Inject(INSIGHTS_ENGINE) private readonly engine: InsightsEngine,
    @Inject(RAPPORT_CONFIG) config: RapportConfig,
  ) {
    this.ttlMs = config.insights.listCursorTtlSeconds * 1000;
  }

  async get(asOf?: string): Promise<InsightsSnapshot> {
    if (asOf) return this.engine.asOf(asOf);
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

  /** The snapshot to cut a list page from: the cursor's own, else the current one. */
  async forPage(after: PageCursor | undefined): Promise<InsightsSnapshot> {
    const current = await this.get();
    const version = after?.snapshotVersion;
    if (version === undefined || version === current.version) return current;
    const kept = this.replaced.get(version);
    if (kept) return kept.snapshot;
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
