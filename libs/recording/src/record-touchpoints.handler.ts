import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { groupByCustomer } from './group-by-customer';
import { IdentityResolver, IdentityRetriesExhaustedError } from './identity/identity-resolver';
import {
  RecordTouchpointsCommand,
  type RecordedItem,
  type RecordTouchpointsResult,
} from './record-touchpoints.command';
import { TouchpointRecorder, type ItemOutcome } from './touchpoint-recorder';

/** Resolutions refused because another instance linked an identifier first, before a 503. */
const MAX_ATTEMPTS = 5;

@CommandHandler(RecordTouchpointsCommand)
export class RecordTouchpointsHandler implements ICommandHandler<RecordTouchpointsCommand> {
  constructor(
    private readonly recorder: TouchpointRecorder,
    private readonly identities: IdentityResolver,
  ) {}

  async execute({
    touchpoints: incoming,
    context,
  }: RecordTouchpointsCommand): Promise<RecordTouchpointsResult> {
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const recorded = await this.resolveAndRecord(incoming, context);
      if (recorded) return recorded;
    }
    throw new IdentityRetriesExhaustedError(MAX_ATTEMPTS);
  }

  /**
   * Identity first: merges and refusals are recorded before the touchpoints, and the links the
   * touchpoints rely on go first in their own append, as its prerequisites (one transaction on
   * SQLite, one commit). Another instance having linked one of those identifiers first refuses
   * them, and the touchpoints with them: undefined, to resolve again.
   */
  private async resolveAndRecord(
    incoming: RecordTouchpointsCommand['touchpoints'],
    context: RecordTouchpointsCommand['context'],
  ): Promise<RecordTouchpointsResult | undefined> {
    const resolution = await this.identities.resolveForAppend(incoming);
    const { touchpoints } = resolution;
    const { batches, indexes } = groupByCustomer(touchpoints);
    let results: Awaited<ReturnType<TouchpointRecorder['recordAfter']>>;
    try {
      results = await this.recorder.recordAfter(resolution.prerequisites, batches, context);
    } catch (error) {
      resolution.settled(false);
      throw error;
    }
    resolution.settled(results !== undefined);
    if (!results) return undefined;
    const items = new Array<RecordedItem>(touchpoints.length);
    results.forEach(({ outcomes, position, customerId }, c) =>
      indexes[c].forEach(
        (index, k) => (items[index] = recordedItem(outcomes[k], position, customerId)),
      ),
    );
    const position = results.reduce((max, r) => (r.position > max ? r.position : max), -1n);
    return { items, position };
  }
}

/**
 * Written out field by field: `{ ...outcome, position, customerId }` took V8's slow path (a
 * spread followed by more properties), ~2–3 µs a touchpoint on Node 20, most of the write
 * path's regression on Kafka (bench:kafka, issue 29).
 */
function recordedItem(outcome: ItemOutcome, position: bigint, customerId: string): RecordedItem {
  if (outcome.status !== 'rejected')
    return { status: outcome.status, eventId: outcome.eventId, position, customerId };
  const { code, reason, firstCustomerId } = outcome;
  return firstCustomerId === undefined
    ? { status: 'rejected', code, reason, position, customerId }
    : { status: 'rejected', code, reason, firstCustomerId, position, customerId };
}
