import { Query } from '@nestjs/cqrs';
import type { LedgerEntry, LedgerQuery } from '@rapport/signal-delivery';

export interface SignalsPage {
  readonly items: readonly LedgerEntry[];
  /** Pass as `cursor` for the next page; absent on the last page. */
  readonly nextCursor?: string;
}

/** A page of the signal ledger, in the order the signals were derived. */
export class ListSignalsQuery extends Query<SignalsPage> {
  constructor(readonly filter: LedgerQuery) {
    super();
  }
}
