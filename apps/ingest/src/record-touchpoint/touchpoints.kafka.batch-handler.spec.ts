import { SqliteEventStore, EventStoreUnavailableError } from '@rapport/event-store';
import type { InboundMessage } from '@rapport/messaging';
import { CustomerStateCache } from './customer-state.cache';
import { TouchpointRecorder } from './touchpoint-recorder';
import { TouchpointsKafkaBatchHandler } from './touchpoints.kafka.batch-handler';

let offset = 0;
function message(value: string | object): InboundMessage {
  return {
    topic: 'touchpoints',
    partition: 0,
    offset: String(offset++),
    key: Buffer.from('C-1'),
    value: Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)),
    timestamp: '1790000000000',
    headers: {},
  };
}

function touchpoint(id: string, type = 'web_visit', data: object = { url: 'https://x' }) {
  return {
    touchpointId: id,
    source: 'web',
    customerId: 'C-1',
    type,
    occurredAt: '2026-03-01T10:00:00Z',
    channel: 'web',
    data,
  };
}

describe('a Kafka batch of touchpoints', () => {
  let store: SqliteEventStore;
  let handler: TouchpointsKafkaBatchHandler;

  beforeEach(() => {
    store = new SqliteEventStore({ path: ':memory:' });
    handler = new TouchpointsKafkaBatchHandler(
      new TouchpointRecorder(store, new CustomerStateCache()),
    );
  });

  afterEach(() => store.close());

  it('records valid touchpoints in order and names why each other one can never succeed', async () => {
    const batch = [
      message(touchpoint('a')),
      message('{"oops'),
      message(touchpoint('b', 'tweet')),
      message(touchpoint('c', 'web_visit', { url: '' })),
      message(touchpoint('d', 'cancellation', { orderId: 'O-404' })),
      message(touchpoint('a')),
      message(touchpoint('e')),
    ];
    const { deadLetters } = await handler.handle(batch);
    expect(deadLetters.map((d) => [d.message.offset, d.code])).toEqual([
      [batch[1].offset, 'INVALID_JSON'],
      [batch[2].offset, 'UNKNOWN_TOUCHPOINT_TYPE'],
      [batch[3].offset, 'CONTRACT_VIOLATION'],
      [batch[4].offset, 'ORDER_NOT_FOUND'],
    ]);
    expect(deadLetters[2].reason).toMatch(/^data\.url: /);
    const events = await store.readStream('customer-C-1');
    expect(events.map((e) => e.data.touchpointId)).toEqual(['a', 'e']);
  });

  it('fails as a whole when the store is down, so nothing of it is committed', async () => {
    jest
      .spyOn(store, 'appendMany')
      .mockRejectedValueOnce(new EventStoreUnavailableError('disk unplugged'));
    await expect(handler.handle([message(touchpoint('x'))])).rejects.toThrow('disk unplugged');
    await expect(handler.handle([message(touchpoint('x'))])).resolves.toEqual({ deadLetters: [] });
    expect(await store.readStream('customer-C-1')).toHaveLength(1);
  });
});
