import { Query } from '@nestjs/cqrs';
import type { InsightsRow } from '@rapport/insights';
import type { PageCursor } from '../shared/page-cursor';
import type { NextPageCursor, RowFilter, SortKey } from '../shared/rows-page';

export interface CustomersPage extends NextPageCursor {
  readonly asOf: string;
  readonly snapshotVersion: number;
  /** The currency of every amount in the rows (the snapshot's reporting currency). */
  readonly currency: string;
  readonly total: number;
  readonly items: readonly InsightsRow[];
  /** Why the list is empty, when it is. */
  readonly note?: string;
}

export class ListCustomersQuery extends Query<CustomersPage> {
  constructor(
    readonly filter: RowFilter,
    readonly sort: SortKey,
    readonly order: 'asc' | 'desc',
    readonly limit: number,
    readonly after?: PageCursor,
    /** Read-your-writes: the position the snapshot must include. */
    readonly minPosition?: bigint,
  ) {
    super();
  }
}
