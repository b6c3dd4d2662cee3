import { Inject, Injectable, Optional } from '@nestjs/common';
import type { CustomerHistoryUnreadableError, CustomerState } from '@rapport/domain';
import type { ExpectedRevision } from '@rapport/event-store';

export const CUSTOMER_STATE_CACHE_CAPACITY = Symbol('CUSTOMER_STATE_CACHE_CAPACITY');

export interface CachedCustomer {
  readonly state: CustomerState;
  /** The stream revision the state reflects: appended with as expectedRevision. */
  readonly revision: ExpectedRevision;
  readonly lastPosition: bigint;
  /**
   * Set when the stored history could not be folded (never cached): every touchpoint of the
   * customer is refused with it.
   */
  readonly unreadable?: CustomerHistoryUnreadableError;
}

/**
 * The customer states this ingest instance stored last, up to a capacity: the one stored
 * longest ago goes first. A read does not move an entry: a move (a delete and a set) leaves a
 * hole that the table is rebuilt to drop, and ingest reads every customer of every batch. A
 * successful append stores the customer again, which moves it. Kafka keys partitions by
 * customer, so one instance is the single writer of a customer and its cache stays right;
 * when it is not (HTTP, another instance), the append's expectedRevision catches it.
 */
@Injectable()
export class CustomerStateCache {
  private readonly entries = new Map<string, CachedCustomer>();

  private readonly capacity: number;

  constructor(@Optional() @Inject(CUSTOMER_STATE_CACHE_CAPACITY) capacity?: number) {
    this.capacity = capacity ?? 50_000;
  }

  get(customerId: string): CachedCustomer | undefined {
    return this.entries.get(customerId);
  }

  set(customerId: string, entry: CachedCustomer): void {
    this.entries.delete(customerId);
    this.entries.set(customerId, entry);
    if (this.entries.size > this.capacity) {
      this.entries.delete(this.entries.keys().next().value as string);
    }
  }

  delete(customerId: string): void {
    this.entries.delete(customerId);
  }

  clear(): void {
    this.entries.clear();
  }
}
