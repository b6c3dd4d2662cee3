import { Query } from '@nestjs/cqrs';
import type { InsightsRow } from '@rapport/insights';
import type { PageCursor } from '../shared/page-cursor';
import type { NextPageCursor } from '../shared/rows-page';

export type DeselectionItem = InsightsRow & {
  /** Why the customer costs more than they bring, in words with the figures. */
  readonly reasons: readonly string[];
};

export interface DeselectionPage extends NextPageCursor {
  readonly asOf: string;
  readonly snapshotVersion: number;
  readonly currency: string;
  readonly horizonMonths: number | null;
  /** Customers whose predicted net value (CLV less predicted cost to serve) is negative. */
  readonly total: number;
  /** Their net values summed: what serving them is expected to lose over the horizon. */
  readonly totalNetValueMinor: number;
  readonly items: readonly DeselectionItem[];
  /** Why the list is empty, when it is. */
  readonly note?: string;
}

/** Customers who cost more to serve than they are expected to bring, most negative first. */
export class GetDeselectionQuery extends Query<DeselectionPage> {
  constructor(
    readonly limit: number,
    readonly after?: PageCursor,
    /** Read-your-writes: the position the snapshot must include. */
    readonly minPosition?: bigint,
  ) {
    super();
  }
}
