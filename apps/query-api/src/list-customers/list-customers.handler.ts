import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { emptyAnswerReason, partialAnswerNote } from '../shared/empty-answer';
import { SnapshotSource } from '../shared/snapshot.source';
import { ListCustomersQuery, type CustomersPage } from './list-customers.query';
import { OrderedRowsCache } from '../shared/ordered-rows.cache';
import { pageOrderedRows } from '../shared/rows-page';

@QueryHandler(ListCustomersQuery)
export class ListCustomersHandler implements IQueryHandler<ListCustomersQuery> {
  constructor(
    private readonly snapshots: SnapshotSource,
    private readonly orderedRows: OrderedRowsCache,
  ) {}

  async execute(query: ListCustomersQuery): Promise<CustomersPage> {
    const snapshot = await this.snapshots.forPage(query.after, query.minPosition);
    const ordered = this.orderedRows.of(snapshot, query.filter, query.sort, query.order);
    const page = pageOrderedRows(ordered.rows, { ...query, snapshotVersion: snapshot.version });
    const note =
      page.total === 0 ? emptyAnswerReason(snapshot, 'these filters') : partialAnswerNote(snapshot);
    return {
      asOf: snapshot.model.asOf,
      snapshotVersion: snapshot.version,
      currency: snapshot.model.currency,
      ...page,
      ...(note ? { note } : {}),
    };
  }
}
