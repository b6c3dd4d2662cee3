import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { profileOf } from '@rapport/projector';
import { READ_STORE, type ReadStore } from '@rapport/read-store';
import { SIGNAL_LEDGER, type SqliteSignalLedger } from '@rapport/signal-delivery';
import { ListSignalsQuery, type SignalsPage } from './list-signals.query';

/**
 * One more than the page is read, to know whether there is a next page. A customer filter
 * follows the profile as the customer view does: signals derived before a merge name the member
 * they were derived for, later ones the profile's id, and asking by any member gives them all.
 */
@QueryHandler(ListSignalsQuery)
export class ListSignalsHandler implements IQueryHandler<ListSignalsQuery> {
  constructor(
    @Inject(SIGNAL_LEDGER) private readonly ledger: SqliteSignalLedger,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
  ) {}

  async execute({ filter }: ListSignalsQuery): Promise<SignalsPage> {
    const customerId =
      typeof filter.customerId === 'string'
        ? (await profileOf(this.readStore, filter.customerId)).members
        : filter.customerId;
    const rows = this.ledger.list({
      ...filter,
      ...(customerId ? { customerId } : {}),
      limit: filter.limit + 1,
    });
    const items = rows.slice(0, filter.limit);
    return rows.length > filter.limit
      ? { items, nextCursor: String(items[items.length - 1].seq) }
      : { items };
  }
}
