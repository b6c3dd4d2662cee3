import { SqliteEventStore, EventStoreUnavailableError } from '@rapport/event-store';
import type { InboundMessage } from '@rapport/messaging';
import { CustomerStateCache, IdentityResolver, RecordTouchpointsHandler } from '@rapport/recording';
import { TouchpointRecorder } from '@rapport/recording';
import { TouchpointsKafkaBatchHandler } from './touchpoints.kafka.batch-handler';

let offset = 0;
/** Keyed as producers key it: by the body's customerId (C-1 where the body names none). */
function message(
  value: string | object | Buffer,
  key: Buffer | null = Buffer.from(
    (typeof value === 'object' && !Buffer.isBuffer(value) && 'customerId' in value
      ? String(value.customerId)
      : undefined) ?? 'C-1',
  ),
): InboundMessage {
  return {
    topic: 'touchpoints',
    partition: 0,
    offset: String(offset++),
    key,
    value: Buffer.isBuffer(value)
      ? value
      : Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)),
    timestamp: '1790000000000',
    headers: {},
  };
}

function touchpoint(
  id: string,
  type = 'web_visit',
  data: object = { url: 'https://x' },
  customerId = 'C-1',
) {
  return {
    touchpointId: id,
    source: 'web',
    customerId,
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
      new RecordTouchpointsHandler(
        new TouchpointRecorder(store, new CustomerStateCache()),
        new IdentityResolver(store),
      ),
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

  it('dead-letters bytes that are not UTF-8, as HTTP refuses them, instead of storing U+FFFD', async () => {
    const bytes = Buffer.from(JSON.stringify(touchpoint('u', 'web_visit', { url: 'https://x/é' })));
    bytes[bytes.indexOf(0xc3)] = 0xff;
    const { deadLetters } = await handler.handle([message(bytes)]);
    expect(deadLetters.map((d) => [d.code, d.reason])).toEqual([
      ['INVALID_JSON', 'not valid JSON: the bytes are not UTF-8'],
    ]);
    expect(await store.readStream('customer-C-1')).toEqual([]);
  });

  it('dead-letters a message keyed by another customer than its body names; takes one without a key', async () => {
    const batch = [
      message(touchpoint('k1'), Buffer.from('C-2')),
      message(touchpoint('k2'), Buffer.from('')),
      message(touchpoint('k3'), null),
      message(touchpoint('k4')),
    ];
    const { deadLetters } = await handler.handle(batch);
    expect(deadLetters.map((d) => [d.message.offset, d.code, d.reason])).toEqual([
      [
        batch[0].offset,
        'KEY_MISMATCH',
        `the message key "C-2" is not the body's customerId or identifiers: key each message by its customerId or one of its identifiers (type:value)`,
      ],
      [batch[1].offset, 'KEY_MISMATCH', expect.stringContaining('the message key ""')],
    ]);
    const events = await store.readStream('customer-C-1');
    expect(events.map((e) => e.data.touchpointId)).toEqual(['k3', 'k4']);
  });

  it('takes a message keyed by one of its identifiers; dead-letters an unnormalisable one naming the field', async () => {
    const withEmail = {
      ...touchpoint('i1'),
      identifiers: [{ type: 'email', value: 'Ada@Example.com' }],
    };
    const badPhone = { ...touchpoint('i2'), identifiers: [{ type: 'phone', value: '12' }] };
    const batch = [
      message(withEmail, Buffer.from('email:ada@example.com')),
      message(withEmail, Buffer.from('ada@example.com')),
      message(badPhone, Buffer.from('C-1')),
    ];
    const { deadLetters } = await handler.handle(batch);
    expect(deadLetters.map((d) => [d.message.offset, d.code, d.reason])).toEqual([
      [
        batch[2].offset,
        'CONTRACT_VIOLATION',
        'identifiers[0].value: identifiers[0].value is not a phone number in international form (+ and country code; no default region is configured)',
      ],
    ]);
    const events = await store.readStream('customer-C-1');
    expect(events.map((e) => e.data.touchpointId)).toEqual(['i1']);
  });

  it('dead-letters what the views could not apply; takes partial cancellations up to what was paid', async () => {
    const eur = (minor: number) => ({ minor, currency: 'EUR' });
    const batch = [
      message(
        touchpoint('p1', 'purchase', { orderId: 'O-1', amount: eur(Number.MAX_SAFE_INTEGER) }),
      ),
      message(touchpoint('p2', 'purchase', { orderId: 'O-2', amount: eur(1_000_000_000_000_000) })),
      message(touchpoint('p3', 'purchase', { orderId: 'O-3' })),
      message(touchpoint('c1', 'cancellation', { orderId: 'O-1', amount: eur(600) })),
      message(touchpoint('c2', 'cancellation', { orderId: 'O-1', amount: eur(0) })),
      message(touchpoint('c3', 'cancellation', { orderId: 'O-1', amount: eur(400) })),
      message(touchpoint('c4', 'cancellation', { orderId: 'O-1' })),
    ];
    const { deadLetters } = await handler.handle(batch);
    // Contract violations first (decoding), then the decider's refusals.
    expect(deadLetters.map((d) => [d.message.offset, d.code])).toEqual([
      [batch[2].offset, 'CONTRACT_VIOLATION'],
      [batch[4].offset, 'CONTRACT_VIOLATION'],
      [batch[1].offset, 'CUSTOMER_TOTAL_TOO_LARGE'],
    ]);
    expect(deadLetters[0].reason).toMatch(/^data\.amount: /);
    expect(deadLetters[1].reason).toMatch(/^data\.amount\.minor: minor must be at least 1/);
    expect(deadLetters[2].reason).toMatch(/past 9007199254740991 minor units/);
    const events = await store.readStream('customer-C-1');
    expect(
      events.map((e) => [e.data.touchpointId, (e.data.amount as { minor: number }).minor]),
    ).toEqual([
      ['p1', Number.MAX_SAFE_INTEGER],
      ['c1', 600],
      ['c3', 400],
      ['c4', Number.MAX_SAFE_INTEGER - 1000],
    ]);
  });

  describe('when a touchpoint id was recorded for another customer first', () => {
    const forCustomer = (id: string, customerId: string) =>
      message(touchpoint(id, 'web_visit', { url: 'https://x' }, customerId));

    it('dead-letters it naming that customer, and records the rest of the batch', async () => {
      await handler.handle([forCustomer('a', 'C-1')]);
      const batch = [forCustomer('b', 'C-2'), forCustomer('a', 'C-2'), forCustomer('c', 'C-2')];
      const { deadLetters } = await handler.handle(batch);
      expect(deadLetters).toEqual([
        {
          message: batch[1],
          code: 'TOUCHPOINT_RECORDED_FOR_ANOTHER_CUSTOMER',
          reason:
            'touchpoint a of source web was first recorded for customer C-1; a touchpoint id belongs to one customer',
        },
      ]);
      const second = await store.readStream('customer-C-2');
      expect(second.map((e) => e.data.touchpointId)).toEqual(['b', 'c']);
      expect(await store.readStream('customer-C-1')).toHaveLength(1);
    });

    it('dead-letters the second customer of one batch and records the first once', async () => {
      const batch = [forCustomer('a', 'C-1'), forCustomer('a', 'C-2')];
      const { deadLetters } = await handler.handle(batch);
      expect(deadLetters.map((d) => [d.message.offset, d.code])).toEqual([
        [batch[1].offset, 'TOUCHPOINT_RECORDED_FOR_ANOTHER_CUSTOMER'],
      ]);
      expect(deadLetters[0].reason).toMatch(/customer C-1;/);
      const all = await store.readAll();
      expect(all.map((e) => [e.streamName, e.data.touchpointId])).toEqual([['customer-C-1', 'a']]);
    });

    it('commits a redelivery to the first customer as a duplicate, without a second event', async () => {
      await handler.handle([forCustomer('a', 'C-1')]);
      await expect(handler.handle([forCustomer('a', 'C-1')])).resolves.toEqual({
        deadLetters: [],
      });
      expect(await store.readAll()).toHaveLength(1);
    });

    it('decides what followed without it: a cancellation of its order finds no order', async () => {
      const purchase = (customerId: string) =>
        message(
          touchpoint(
            'p',
            'purchase',
            { orderId: 'O-1', amount: { minor: 100, currency: 'EUR' } },
            customerId,
          ),
        );
      await handler.handle([purchase('C-1')]);
      const cancel = message(touchpoint('x', 'cancellation', { orderId: 'O-1' }, 'C-2'));
      const { deadLetters } = await handler.handle([purchase('C-2'), cancel]);
      expect(deadLetters.map((d) => d.code)).toEqual([
        'TOUCHPOINT_RECORDED_FOR_ANOTHER_CUSTOMER',
        'ORDER_NOT_FOUND',
      ]);
      expect(await store.readStream('customer-C-2')).toEqual([]);
    });
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
