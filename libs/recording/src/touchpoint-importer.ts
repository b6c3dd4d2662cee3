import { randomUUID } from 'node:crypto';
import type { Touchpoint } from '@rapport/domain';
import type { EventStore } from '@rapport/event-store';
import { CustomerStateCache } from './customer-state.cache';
import {
  TouchpointRecorder,
  type CustomerBatch,
} from './touchpoint-recorder';

export interface NumberedTouchpoint {
  /** 1-based line (NDJSON) or record line (CSV) of the input, for the reject report. */
  readonly line: number;
  readonly touchpoint: Touchpoint;
}

export interface Rejected {
  readonly line: number;
  readonly code: string;
  readonly reasons: readonly string[];
}

export interface ImportTotals {
  recorded: number;
  duplicates: number;
  rejected: number;
  /** Last position written (-1 when nothing was). */
  position: bigint;
}

/**
 * Records touchpoints through the ingest write path (decide, idempotent append with
 * expectedRevision), a batch at a time grouped by customer, as the Kafka consumer does:
 * a re-import decides every touchpoint a duplicate and appends nothing.
 */
export class TouchpointImporter {
  readonly totals: ImportTotals = { recorded: 0, duplicates: 0, rejected: 0, position: -1n };
  private readonly recorder: TouchpointRecorder;
  private readonly correlationId = `import-${randomUUID()}`;
  private pending: NumberedTouchpoint[] = [];

  constructor(
    eventStore: EventStore,
    private readonly options: {
      readonly batchSize: number;
      readonly onRejected: (rejected: Rejected) => void;
    },
  ) {
    this.recorder = new TouchpointRecorder(eventStore, new CustomerStateCache(100_000));
  }

  async add(item: NumberedTouchpoint): Promise<void> {
    this.pending.push(item);
    if (this.pending.length >= this.options.batchSize) await this.flush();
  }

  reject(rejected: Rejected): void {
    this.totals.rejected += 1;
    this.options.onRejected(rejected);
  }

  async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const byCustomer = new Map<string, NumberedTouchpoint[]>();
    for (const item of this.pending) {
      const list = byCustomer.get(item.touchpoint.customerId);
      if (list) list.push(item);
      else byCustomer.set(item.touchpoint.customerId, [item]);
    }
    this.pending = [];
    const batches: CustomerBatch[] = [...byCustomer].map(([customerId, items]) => ({
      customerId,
      touchpoints: items.map((i) => i.touchpoint),
    }));
    const results = await this.recorder.record(batches, {
      ingestedAt: new Date().toISOString(),
      correlationId: this.correlationId,
    });
    for (const result of results) {
      const items = byCustomer.get(result.customerId)!;
      result.outcomes.forEach((outcome, i) => {
        if (outcome.status === 'recorded') this.totals.recorded += 1;
        else if (outcome.status === 'duplicate') this.totals.duplicates += 1;
        else this.reject({ line: items[i].line, code: outcome.code, reasons: [outcome.reason] });
      });
      if (result.position > this.totals.position) this.totals.position = result.position;
    }
  }
}
