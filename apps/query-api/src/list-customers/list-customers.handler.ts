import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { SnapshotSource } from '../shared/snapshot.source';
import { ListCustomersQuery, type CustomersPage } from './list-customers.query';
import { pageRows } from './rows-page';

@QueryHandler(ListCustomersQuery)
export class ListCustomersHandler implements IQueryHandler<ListCustomersQuery> {
  constructor(private readonly snapshots: SnapshotSource) {}

  async execute(query: ListCustomersQuery): Promise<CustomersPage> {
    const snapshot = await this.snapshots.get();
    const page = pageRows(snapshot.rows, query);
    return { asOf: snapshot.model.asOf, snapshotVersion: snapshot.version, ...page };
  }
}
