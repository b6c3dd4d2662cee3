import { Query } from '@nestjs/cqrs';
import type { LedgerQuery } from '@rapport/signal-delivery';
import type { SignalsPage } from '../shared/signals-page';

/** A page of the signal ledger, in the order the signals were derived. */
export class ListSignalsQuery extends Query<SignalsPage> {
  constructor(readonly filter: LedgerQuery) {
    super();
  }
}
