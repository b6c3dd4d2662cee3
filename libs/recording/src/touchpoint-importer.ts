import { randomUUID } from 'node:crypto';
import type { IncomingTouchpoint } from '@rapport/domain';
import { tallyOutcomes } from './outcome-tally';
import { RecordTouchpointsCommand, type TouchpointRecording } from './record-touchpoints.command';

export interface NumberedTouchpoint {
  /** 1-based line (NDJSON) or record line (CSV) of the input, for the reject report. */
  readonly line: number;
  readonly touchpoint: IncomingTouchpoint;
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
 * Records touchpoints through the write path (RecordTouchpointsCommand on the CommandBus), a
 * batch at a time, as the Kafka consumer does: a re-import decides every touchpoint a
 * duplicate and appends nothing.
 */
export class TouchpointImporter {
  readonly totals: ImportTotals = { recorded: 0, duplicates: 0, rejected: 0, position: -1n };
  private readonly correlationId = `import-${randomUUID()}`;
  private pending: NumberedTouchpoint[] = [];

  constructor(
    private readonly commandBus: TouchpointRecording,
    private readonly options: {
      readonly batchSize: number;
      readonly onRejected: (rejected: Rejected) => void;
    },
  ) {}

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
    const items = this.pending;
    this.pending = [];
    const result = await this.commandBus.execute(
      new RecordTouchpointsCommand(
        items.map((i) => i.touchpoint),
        { ingestedAt: new Date().toISOString(), correlationId: this.correlationId },
      ),
    );
    const tally = tallyOutcomes(result.items);
    this.totals.recorded += tally.recorded;
    this.totals.duplicates += tally.duplicates;
    for (const { index, code, reason } of tally.rejected)
      this.reject({ line: items[index].line, code, reasons: [reason] });
    if (result.position > this.totals.position) this.totals.position = result.position;
  }
}
