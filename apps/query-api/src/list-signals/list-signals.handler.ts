import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { SIGNAL_LEDGER, type SqliteSignalLedger } from '@rapport/signal-delivery';
import { ListSignalsQuery, type SignalsPage } from './list-signals.query';

/** One more than the page is read, to know whether there is a next page. */
@QueryHandler(ListSignalsQuery)
export class ListSignalsHandler implements IQueryHandler<ListSignalsQuery> {
  constructor(@Inject(SIGNAL_LEDGER) private readonly ledger: SqliteSignalLedger) {}

  execute({ filter }: ListSignalsQuery): Promise<SignalsPage> {
    const rows = this.ledger.list({ ...filter, limit: filter.limit + 1 });
    const items = rows.slice(0, filter.limit);
    return Promise.resolve(
      rows.length > filter.limit
        ? { items, nextCursor: String(items[items.length - 1].seq) }
        : { items },
    );
  }
}
