import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
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
    touchpoints,
    context,
  }: RecordTouchpointsCommand): Promise<RecordTouchpointsResult> {
    const { batches, indexes } = groupByCustomer(touchpoints);
    const results = await this.recorder.record(batches, context);
    const items = new Array<RecordedItem>(touchpoints.length);
    results.forEach(({ outcomes, position }, c) =>
      indexes[c].forEach((index, k) => (items[index] = { ...outcomes[k], position })),
    );
    const position = results.reduce((max, r) => (r.position > max ? r.position : max), -1n);
    return { items, position };
  }
}
