import { Command } from '@nestjs/cqrs';
import type { IncomingTouchpoint } from '@rapport/domain';
import type { CustomerBatchResult, RecordContext } from './touchpoint-recorder';

/**
 * Record many validated touchpoints, of one customer or several, each naming its customer by
 * customerId or by identifiers (resolved to a profile first): grouped by customer (order
 * kept within each), and every customer's new events appended in one appendMany call. The one
 * entrance of the write path: HTTP, Kafka, the CLI import and the demo all dispatch it.
 */
export class RecordTouchpointsCommand extends Command<RecordTouchpointsResult> {
  constructor(
    readonly touchpoints: readonly IncomingTouchpoint[],
    readonly context: RecordContext,
  ) {
    super();
  }
}

export type RecordedItem = CustomerBatchResult['outcomes'][number] & {
  readonly position: bigint;
  /** The customer (profile) stream the touchpoint was decided on; absent if none was found. */
  readonly customerId?: string;
};

export interface RecordTouchpointsResult {
  /** One outcome per touchpoint, in the order given, with its customer's position. */
  readonly items: readonly RecordedItem[];
  /** Position at or after every stored touchpoint of the request (for read-your-writes). */
  readonly position: bigint;
}

/** What dispatches the command: Nest's CommandBus in the apps (and in openRecording). */
export interface TouchpointRecording {
  execute(command: RecordTouchpointsCommand): Promise<RecordTouchpointsResult>;
}
