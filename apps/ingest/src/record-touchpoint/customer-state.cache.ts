import { Inject, Injectable, Optional } from '@nestjs/common';
import type { CustomerState } from '@rapport/domain';
import type { ExpectedRevision } from '@rapport/event-store';

export const CUSTOMER_STATE_CACHE_CAPACITY = Symbol('CUSTOMER_STATE_CACHE_CAPACITY');

export interface CachedCustomer {
  readonly state: CustomerState;
  /** The stream revision the state reflects: appended with as expectedRevision. */
  readonly revision: ExpectedRevision;
  readonly lastPosition: bigint;
}

/**
 * Least-recently-used customer states of this ingest instance. Kafka keys partitions by
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
    const entry = this.entries.get(customerId);
    if (entry) {
      this.entries.delete(customerId);
      this.entries.set(customerId, entry);
    }
    return entry;
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
