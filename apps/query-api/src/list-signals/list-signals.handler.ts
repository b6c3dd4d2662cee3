import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { profileOf } from '@rapport/projector';
import { READ_STORE, type ReadStore } from '@rapport/read-store';
import { SIGNAL_LEDGER, type SqliteSignalLedger } from '@rapport/signal-delivery';
import { readSignalsPage, type SignalsPage } from '../shared/signals-page';
import { ListSignalsQuery } from './list-signals.query';

/**
 * A customer filter
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
    return readSignalsPage(this.ledger, { ...filter, ...(customerId ? { customerId } : {}) });
  }
}
