import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { Touchpoint } from '@rapport/domain';
import {
  RecordTouchpointCommand,
  RecordTouchpointsCommand,
  type RecordTouchpointsResult,
} from './record-touchpoints.command';
import { TouchpointRecorder, type CustomerBatchResult } from './touchpoint-recorder';

@CommandHandler(RecordTouchpointCommand)
export class RecordTouchpointHandler implements ICommandHandler<RecordTouchpointCommand> {
  constructor(private readonly recorder: TouchpointRecorder) {}

  async execute({ touchpoint, context }: RecordTouchpointCommand): Promise<CustomerBatchResult> {
    const [result] = await this.recorder.record(
      [{ customerId: touchpoint.customerId, touchpoints: [touchpoint] }],
      context,
    );
    return result;
  }
}

@CommandHandler(RecordTouchpointsCommand)
export class RecordTouchpointsHandler implements ICommandHandler<RecordTouchpointsCommand> {
  constructor(private readonly recorder: TouchpointRecorder) {}

  async execute({
    touchpoints,
    context,
  }: RecordTouchpointsCommand): Promise<RecordTouchpointsResult> {
    const byCustomer = groupByCustomer(touchpoints);
    const results = await this.recorder.record(
      [...byCustomer].map(([customerId, items]) => ({
        customerId,
        touchpoints: items.map((i) => touchpoints[i]),
      })),
      context,
    );
    const items: RecordTouchpointsResult['items'][number][] = new Array(touchpoints.length);
    [...byCustomer.values()].forEach((indexes, c) =>
      indexes.forEach(
        (index, k) => (items[index] = { ...results[c].outcomes[k], position: results[c].position }),
      ),
    );
    const position = results.reduce((max, r) => (r.position > max ? r.position : max), -1n);
    return { items, position };
  }
}

/** customerId → indexes of its touchpoints, in arrival order. */
function groupByCustomer(touchpoints: readonly Touchpoint[]): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  touchpoints.forEach((touchpoint, index) => {
    const group = groups.get(touchpoint.customerId);
    if (group) group.push(index);
    else groups.set(touchpoint.customerId, [index]);
  });
  return groups;
}
