import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { OrderedRowsCache } from '../shared/ordered-rows.cache';
import { nextPageCursor, pageOrderedRows } from '../shared/rows-page';
import { emptyAnswerReason, missingValueReason, partialAnswerNote } from '../shared/empty-answer';
import { SnapshotSource } from '../shared/snapshot.source';
import { deselectionReasons } from './deselection-reasons';
import { GetDeselectionQuery, type DeselectionPage } from './get-deselection.query';

@QueryHandler(GetDeselectionQuery)
export class GetDeselectionHandler implements IQueryHandler<GetDeselectionQuery> {
  constructor(
    private readonly snapshots: SnapshotSource,
    private readonly orderedRows: OrderedRowsCache,
  ) {}

  async execute(query: GetDeselectionQuery): Promise<DeselectionPage> {
    const snapshot = await this.snapshots.forPage(query.after, query.minPosition);
    const ordered = this.orderedRows.of(snapshot, { negativeNetValue: true }, 'netValue', 'asc');
    const page = pageOrderedRows(ordered.rows, {
      sort: 'netValue',
      order: 'asc',
      limit: query.limit,
      after: query.after,
      snapshotVersion: snapshot.version,
    });
    const currency = snapshot.model.currency;
    const horizonMonths = snapshot.model.value?.settings.clv.horizonMonths ?? null;
    const note = page.total === 0 ? this.whyEmpty(snapshot) : partialAnswerNote(snapshot);
    return {
      asOf: snapshot.model.asOf,
      snapshotVersion: snapshot.version,
      currency,
      horizonMonths,
      total: page.total,
      totalNetValueMinor: ordered.rows.sum((row) => row.netValueMinor ?? 0),
      items: page.items.map((row) => ({
        ...row,
        reasons: deselectionReasons(row, currency, horizonMonths ?? 0),
      })),
      ...nextPageCursor(page.nextCursor),
      ...(note ? { note } : {}),
    };
  }

  private whyEmpty(snapshot: Parameters<typeof missingValueReason>[0]): string {
    const missing = missingValueReason(snapshot);
    if (missing) return missing;
    const costs = snapshot.model.value!.settings.unitCosts;
    if (Object.values(costs).every((cost) => cost === 0))
      return (
        'no unit costs are configured (COST_PER_CALL_MINUTE, COST_PER_COMPLAINT, COST_PER_CANCELLATION, ' +
        'COST_PER_EMAIL_SENT are 0), so serving costs nothing and no net value is negative'
      );
    return emptyAnswerReason(
      snapshot,
      'a negative predicted net value (every customer with a CLV brings more than they cost)',
    );
  }
}
