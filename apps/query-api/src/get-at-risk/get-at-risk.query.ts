import { Query } from '@nestjs/cqrs';
import type { ChurnReason } from '@rapport/analytics';
import type { InsightsRow } from '@rapport/insights';
import type { NextPageCursor, SortKey } from '../shared/rows-page';
import type { PageCursor } from '../shared/page-cursor';

export type AtRiskItem = InsightsRow & { readonly reasons: readonly ChurnReason[] };

export interface AtRiskPage extends NextPageCursor {
  readonly asOf: string;
  readonly snapshotVersion: number;
  readonly total: number;
  readonly totalValueAtRiskMinor: number;
  readonly currency: string;
  readonly items: readonly AtRiskItem[];
}

export class GetAtRiskQuery extends Query<AtRiskPage> {
  constructor(
    readonly minBand: 'medium' | 'high',
    readonly tier: string | undefined,
    readonly limit: number,
    readonly after?: PageCursor,
    /** Reasons with explanations need each customer's view: worth it for a page, not an export. */
    readonly explain = true,
    /** Read-your-writes: the position the snapshot must include. */
    readonly minPosition?: bigint,
    /** Most value at risk first unless the analyst sorts by another column. */
    readonly sort: SortKey = 'valueAtRisk',
    readonly order: 'asc' | 'desc' = 'desc',
  ) {
    super();
  }
}
