import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { groupByCustomer } from './group-by-customer';
import { IdentityResolver } from './identity/identity-resolver';
import {
  RecordTouchpointsCommand,
  type RecordedItem,
  type RecordTouchpointsResult,
} from './record-touchpoints.command';
import { TouchpointRecorder, type ItemOutcome } from './touchpoint-recorder';

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
    // Identity first: links, merges and refusals are recorded before the touchpoint, so a
    // crash between the two leaves what the redelivered touchpoint's decision completes.
    const touchpoints = await this.identities.resolve(incoming);
    const { batches, indexes } = groupByCustomer(touchpoints);
    const results = await this.recorder.record(batches, context);
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
