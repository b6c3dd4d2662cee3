import { Query } from '@nestjs/cqrs';
import type { CustomerView } from '@rapport/projections';

export interface CustomerViewResult {
  readonly view: CustomerView;
  /** Position of the last event applied to this customer's view. */
  readonly position: bigint;
}

export class GetCustomerViewQuery extends Query<CustomerViewResult | undefined> {
  constructor(readonly customerId: string) {
    super();
  }
}
