import { Query } from '@nestjs/cqrs';
import type { LedgerQuery } from '@rapport/signal-delivery';
import type { SignalsPage } from '../shared/signals-page';

/**
 * A page of the signals about one customer's profile, in the order they were derived;
 * undefined when no touchpoint was recorded for the customer.
 */
export class ListCustomerSignalsQuery extends Query<SignalsPage | undefined> {
  constructor(
    readonly customerId: string,
    readonly filter: Omit<LedgerQuery, 'customerId'>,
  ) {
    super();
  }
}
