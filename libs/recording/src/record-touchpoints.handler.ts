import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { namesCustomer, type Touchpoint } from '@rapport/domain';
import { groupByCustomer } from './group-by-customer';
import {
  RecordTouchpointsCommand,
  type RecordedItem,
  type RecordTouchpointsResult,
} from './record-touchpoints.command';
import { TouchpointRecorder } from './touchpoint-recorder';

@CommandHandler(RecordTouchpointsCommand)
export class RecordTouchpointsHandler implements ICommandHandler<RecordTouchpointsCommand> {
  constructor(private readonly recorder: TouchpointRecorder) {}

  async execute({
    touchpoints: incoming,
    context,
  }: RecordTouchpointsCommand): Promise<RecordTouchpointsResult> {
    const items = new Array<RecordedItem>(incoming.length);
    const touchpoints: Touchpoint[] = [];
    const at: number[] = [];
    incoming.forEach((touchpoint, index) => {
      if (namesCustomer(touchpoint)) {
        touchpoints.push(touchpoint);
        at.push(index);
      } else
        items[index] = {
          status: 'rejected',
          code: 'CUSTOMER_NOT_RESOLVED',
          reason: 'this write path records touchpoints that name their customerId',
          position: -1n,
        };
    });
    const { batches, indexes } = groupByCustomer(touchpoints);
    const results = await this.recorder.record(batches, context);
    results.forEach(({ outcomes, position, customerId }, c) =>
      indexes[c].forEach(
        (index, k) => (items[at[index]] = { ...outcomes[k], position, customerId }),
      ),
    );
    const position = results.reduce((max, r) => (r.position > max ? r.position : max), -1n);
    return { items, position };
  }
}
