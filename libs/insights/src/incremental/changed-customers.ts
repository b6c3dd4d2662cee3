/** Customers whose views changed since the last take, and the position that covers them. */
export interface ChangedCustomers {
  readonly customers: ReadonlySet<string>;
  /** Every change up to this projector position is among `customers` or was taken before. */
  readonly position: bigint;
}

/**
 * Collects which customers the projector wrote, as it reports each applied batch, for the next
 * incremental refresh to read again. A batch is noted with the position it reached in one step,
 * so what a take returns covers its position exactly.
 */
export class ChangedCustomersFeed {
  private customers = new Set<string>();
  private position = -1n;

  note(customerIds: Iterable<string>, position: bigint): void {
    for (const id of customerIds) this.customers.add(id);
    if (position > this.position) this.position = position;
  }

  /** What changed since the last take, emptied for the next. */
  take(): ChangedCustomers {
    const taken = { customers: this.customers, position: this.position };
    this.customers = new Set();
    return taken;
  }
}
