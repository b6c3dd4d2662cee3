import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { customerViewProjection, type CustomerView } from '@rapport/projections';
import { deriveCustomerInsights } from '@rapport/insights';
import {
  READ_STORE,
  VIEW_GENERATIONS,
  type ReadStore,
  type ViewGenerations,
} from '@rapport/read-store';
import { OrderedRowsCache } from '../shared/ordered-rows.cache';
import { nextPageCursor, pageOrderedRows } from '../shared/rows-page';
import { SnapshotSource } from '../shared/snapshot.source';
import { GetAtRiskQuery, type AtRiskPage } from './get-at-risk.query';

/** Customers at risk, most value at risk first (or as sorted), each with the reasons that put them there. */
@QueryHandler(GetAtRiskQuery)
export class GetAtRiskHandler implements IQueryHandler<GetAtRiskQuery> {
  constructor(
    private readonly snapshots: SnapshotSource,
    private readonly orderedRows: OrderedRowsCache,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Inject(VIEW_GENERATIONS) private readonly generations: ViewGenerations,
  ) {}

  async execute(query: GetAtRiskQuery): Promise<AtRiskPage> {
    const snapshot = await this.snapshots.forPage(query.after, query.minPosition);
    const atRisk = this.orderedRows.of(
      snapshot,
      { minRiskBand: query.minBand, tier: query.tier },
      query.sort,
      query.order,
    );
    const page = pageOrderedRows(atRisk.rows, {
      sort: query.sort,
      order: query.order,
      limit: query.limit,
      after: query.after,
      snapshotVersion: snapshot.version,
    });
    const views = query.explain
      ? await this.readStore.getMany<CustomerView>(
          await this.generations.activeCollection(customerViewProjection.name),
          page.items.map((row) => row.customerId),
          { shared: true },
        )
      : new Map<string, { value: CustomerView }>();
    const items = page.items.map((row) => {
      const view = views.get(row.customerId)?.value;
      const reasons = view
        ? deriveCustomerInsights(view, snapshot.model, snapshot.model.asOf).churn.reasons
        : [];
      return { ...row, reasons };
    });
    return {
      asOf: snapshot.model.asOf,
      snapshotVersion: snapshot.version,
      total: page.total,
      totalValueAtRiskMinor: atRisk.totalValueAtRiskMinor,
      currency: snapshot.model.currency,
      items,
      ...nextPageCursor(page.nextCursor),
    };
  }
}
