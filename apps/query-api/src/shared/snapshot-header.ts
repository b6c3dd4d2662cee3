import type { InsightsSnapshot } from '@rapport/insights';

/** What every population summary says about the snapshot it was read from. */
export interface SnapshotHeader {
  readonly asOf: string;
  readonly currency: string;
  readonly windowMonths: number;
  readonly snapshotVersion: number;
  readonly computedAt: string;
}

export function snapshotHeader(snapshot: InsightsSnapshot): SnapshotHeader {
  return {
    asOf: snapshot.model.asOf,
    currency: snapshot.model.currency,
    windowMonths: snapshot.model.windowMonths,
    snapshotVersion: snapshot.version,
    computedAt: snapshot.computedAt,
  };
}
