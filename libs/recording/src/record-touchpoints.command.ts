import { Command } from '@nestjs/cqrs';
import type { Touchpoint } from '@rapport/domain';
import type { CustomerBatchResult, RecordContext } from './touchpoint-recorder';

/** Record one validated touchpoint. */
export class RecordTouchpointCommand extends Command<CustomerBatchResult> {
  constructor(
    readonly touchpoint: Touchpoint,
    readonly context: RecordContext,
  ) {
    super();
  }
}

/**
 * Record many validated touchpoints, of one customer or several: grouped by customer (order
 * kept within each), and every customer's new events appended in one appendMany call.
 */
export class RecordTouchpointsCommand extends Command<RecordTouchpointsResult> {
  constructor(
    readonly touchpoints: readonly Touchpoint[],
    readonly context: RecordContext,
  ) {
    super();
  }
}

export interface RecordTouchpointsResult {
  /** One outcome per touchpoint, in the order given, with its customer's position. */
  readonly items: ReadonlyArray<
    CustomerBatchResult['outcomes'][number] & { readonly position: bigint }
  >;
  /** Position at or after every stored touchpoint of the request (for read-your-writes). */
  readonly position: bigint;
}
