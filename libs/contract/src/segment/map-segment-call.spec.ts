import {
  mapSegmentCall,
  SEGMENT_REFUSAL_CODES,
  type SegmentMappingOptions,
} from './map-segment-call';

const options: SegmentMappingOptions = {
  source: 'segment',
  receivedAt: new Date('2026-11-20T10:00:05.000Z'),
};

/** Shaped as analytics.js and analytics-node send them (Segment's HTTP tracking API spec). */
const pageCall = {
  type: 'page',
  messageId: 'ajs-next-1764000000000-2b1c5e8a-6f3d-4a7e-9c21-0d4f5e6a7b8c',
  anonymousId: '8f4e2c1a-77b0-4d5e-a1f2-3c4d5e6f7a8b',
  name: 'Pricing',
  properties: {
    title: 'Pricing | Example Shop',
    url: 'https://shop.example.com/pricing?plan=pro',
    path: '/pricing',
    referrer: 'https://www.example.org/compare',
    search: '?plan=pro',
  },
  context: {
    library: { name: 'analytics.js', version: 'next-1.70.0' },
    page: { url: 'https://shop.example.com/ignored-when-properties-have-it' },
    userAgent: 'Mozilla/5.0 (X11; Linux x86_64)',
    locale: 'en-GB',
  },
  integrations: {},
  timestamp: '2026-11-20T09:59:58.120Z',
  sentAt: '2026-11-20T09:59:58.300Z',
  _metadata: { bundled: ['Segment.io'], unbundled: [] },
};

const orderCompleted = {
  type: 'track',
  event: 'Order Completed',
  messageId: 'node-next-1764000000000-0a1b2c3d-4e5f-6789-abcd-ef0123456789',
  userId: 'C-1001',
  properties: {
    checkout_id: 'chk-77',
    order_id: 'O-50314',
    affiliation: 'Example Shop',
    total: 27.5,
    subtotal: 22.5,
    revenue: 25,
    shipping: 3,
    tax: 2,
    discount: 2.5,
    coupon: 'WINTER',
    currency: 'USD',
    products: [
      { product_id: 'P-1', sku: 'SKU-45790', name: 'Board game', price: 19, quantity: 1 },
      { product_id: 'P-2', name: 'Card game', price: 1.75, quantity: 2 },
    ],
  },
  context: { library: { name: '@segment/analytics-node', version: '2.1.0' } },
  timestamp: '2026-11-20T09:58:00.000Z',
};

function mapped(type: unknown, call: unknown, given: Partial<SegmentMappingOptions> = {}) {
  const result = mapSegmentCall(type, call, { ...options, ...given });
  if (!result.ok) throw new Error(`refused: ${JSON.stringify(result.problems)}`);
  return result.mapped.message;
}

function problemsOf(type: unknown, call: unknown, given: Partial<SegmentMappingOptions> = {}) {
  const result = mapSegmentCall(type, call, { ...options, ...given });
  if (result.ok) throw new Error(`mapped: ${JSON.stringify(result.mapped.message)}`);
  return result;
}

describe('mapping Segment calls to touchpoints', () => {
  describe('page', () => {
    it('becomes a web visit of the anonymous visitor, url and referrer from properties', () => {
      expect(mapped('page', pageCall)).toEqual({
        touchpointId: pageCall.messageId,
        source: 'segment',
        identifiers: [{ type: 'anonymousId', value: pageCall.anonymousId }],
        type: 'web_visit',
        occurredAt: '2026-11-20T09:59:58.120Z',
        channel: 'web',
        data: {
          url: 'https://shop.example.com/pricing?plan=pro',
          referrer: 'https://www.example.org/compare',
        },
      });
    });

    it('takes url and referrer from context.page when properties lack them', () => {
      const call = {
        ...pageCall,
        userId: 'C-1001',
        properties: {},
        context: { page: { url: 'https://shop.example.com/', referrer: '' } },
      };
      expect(mapped('page', call)).toMatchObject({
        customerId: 'C-1001',
        identifiers: [{ type: 'anonymousId', value: pageCall.anonymousId }],
        data: { url: 'https://shop.example.com/' },
      });
      expect(mapped('page', call).data).not.toHaveProperty('referrer');
    });

    it('falls back to the path when no url is given', () => {
      const call = { ...pageCall, properties: { path: '/basket' }, context: {} };
      expect(mapped('page', call).data).toEqual({ url: '/basket' });
    });

    it('refuses a page without url or path, naming properties.url', () => {
      const refused = problemsOf('page', { ...pageCall, properties: {}, context: {} });
      expect(refused.code).toBe(SEGMENT_REFUSAL_CODES.invalid);
      expect(refused.problems).toEqual([
        expect.objectContaining({
          path: 'properties.url',
          message: expect.stringMatching(/required/),
        }),
      ]);
    });
  });

  describe('track Order Completed', () => {
    it('becomes a purchase: total in minor units, products as items', () => {
      expect(mapped('track', orderCompleted)).toEqual({
        touchpointId: orderCompleted.messageId,
        source: 'segment',
        customerId: 'C-1001',
        type: 'purchase',
        occurredAt: '2026-11-20T09:58:00.000Z',
        channel: 'other',
        data: {
          orderId: 'O-50314',
          amount: { minor: 2750, currency: 'USD' },
          items: [
            { sku: 'SKU-45790', quantity: 1, unitPrice: { minor: 1900, currency: 'USD' } },
            { sku: 'P-2', quantity: 2, unitPrice: { minor: 175, currency: 'USD' } },
          ],
        },
      });
    });

    it('takes revenue when there is no total, and amounts of 0- and 3-decimal currencies', () => {
      const { total: _total, products: _products, ...rest } = orderCompleted.properties;
      expect(
        mapped('track', { ...orderCompleted, properties: { ...rest, revenue: 25 } }).data,
      ).toMatchObject({ amount: { minor: 2500, currency: 'USD' } });
      expect(
        mapped('track', {
          ...orderCompleted,
          properties: { order_id: 'O-1', total: 4500, currency: 'JPY' },
        }).data,
      ).toEqual({ orderId: 'O-1', amount: { minor: 4500, currency: 'JPY' } });
      expect(
        mapped('track', {
          ...orderCompleted,
          properties: { order_id: 'O-2', total: 12.345, currency: 'bhd' },
        }).data,
      ).toEqual({ orderId: 'O-2', amount: { minor: 12345, currency: 'BHD' } });
    });

    it('uses the configured default currency when the call has none', () => {
      const call = { ...orderCompleted, properties: { order_id: 'O-3', total: 10 } };
      expect(mapped('track', call, { defaultCurrency: 'EUR' }).data).toEqual({
        orderId: 'O-3',
        amount: { minor: 1000, currency: 'EUR' },
      });
      expect(problemsOf('track', call).problems).toEqual([
        {
          path: 'properties.currency',
          message: expect.stringContaining('SEGMENT_DEFAULT_CURRENCY'),
        },
      ]);
    });

    it('names every missing or wrong field in the call’s own terms', () => {
      const refused = problemsOf('track', {
        ...orderCompleted,
        properties: {
          currency: 'JPY',
          total: 12.5,
          products: [{ name: 'no sku', price: 3 }],
        },
      });
      expect(refused.code).toBe(SEGMENT_REFUSAL_CODES.invalid);
      expect(refused.problems.map((p) => p.path)).toEqual([
        'properties.order_id',
        'properties.total',
        'properties.products[0].sku',
      ]);
      expect(refused.problems[1].message).toBe(
        'properties.total has more decimals than JPY has (0): 12.5',
      );
      expect(
        problemsOf('track', { ...orderCompleted, properties: { order_id: 'O-1', currency: 'EUR' } })
          .problems,
      ).toEqual([{ path: 'properties.total', message: expect.stringContaining('is required') }]);
    });

    it('knows the channel from the tracker: an app, a browser or a server', () => {
      const withContext = (context: unknown) =>
        mapped('track', { ...orderCompleted, context }).channel;
      expect(withContext({ app: { name: 'Shop' }, device: { type: 'ios' } })).toBe('app');
      expect(withContext({ device: { type: 'android' } })).toBe('app');
      expect(withContext({ page: { url: 'https://shop.example.com/checkout' } })).toBe('web');
      expect(withContext({ userAgent: 'Mozilla/5.0' })).toBe('web');
      expect(withContext({ library: { name: '@segment/analytics-node' } })).toBe('other');
    });

    it('matches the event name as the spec writes it or snake-cased', () => {
      expect(mapped('track', { ...orderCompleted, event: 'order_completed' }).type).toBe(
        'purchase',
      );
    });
  });

  describe('track Order Cancelled and Order Refunded', () => {
    it('cancels the whole order', () => {
      expect(
        mapped('track', {
          ...orderCompleted,
          event: 'Order Cancelled',
          properties: { order_id: 'O-50314', total: 27.5, currency: 'USD' },
        }),
      ).toMatchObject({ type: 'cancellation', data: { orderId: 'O-50314' } });
    });

    it('refunds the total when one is given, else the whole order', () => {
      const refund = (properties: Record<string, unknown>) =>
        mapped('track', { ...orderCompleted, event: 'Order Refunded', properties }).data;
      expect(refund({ order_id: 'O-50314', total: 3.5, currency: 'USD' })).toEqual({
        orderId: 'O-50314',
        amount: { minor: 350, currency: 'USD' },
      });
      expect(refund({ order_id: 'O-50314' })).toEqual({ orderId: 'O-50314' });
      expect(refund({ order_id: 'O-50314', total: 0 })).toEqual({ orderId: 'O-50314' });
    });
  });

  describe('what is refused with a reason', () => {
    it('other track events: not recorded, naming those that are', () => {
      const refused = problemsOf('track', { ...orderCompleted, event: 'Product Viewed' });
      expect(refused.code).toBe(SEGMENT_REFUSAL_CODES.eventNotMapped);
      expect(refused.problems).toEqual([
        {
          path: 'event',
          message:
            'track event "Product Viewed" is not recorded: Rapport records Order Completed, Order Cancelled, Order Refunded',
        },
      ]);
    });

    it.each(['screen', 'group', 'alias'])('%s calls', (type) => {
      expect(problemsOf(type, pageCall)).toMatchObject({
        code: SEGMENT_REFUSAL_CODES.callNotMapped,
        problems: [{ path: 'type' }],
      });
    });

    it('a call without a type (in a batch) or of a type Segment does not have', () => {
      expect(problemsOf(undefined, pageCall).problems[0].message).toBe(
        'type is required: one of track, page, identify',
      );
      expect(problemsOf('visit', pageCall).code).toBe(SEGMENT_REFUSAL_CODES.invalid);
    });

    it('a call without messageId, or without userId and anonymousId', () => {
      const { messageId: _m, anonymousId: _a, ...bare } = pageCall;
      expect(problemsOf('page', bare).problems.map((p) => p.path)).toEqual(['messageId', 'userId']);
    });

    it('an event without a name, ids of the wrong type, a body that is no object', () => {
      expect(problemsOf('track', { ...orderCompleted, event: '' }).problems).toEqual([
        { path: 'event', message: 'event is required: the name of what happened' },
      ]);
      expect(problemsOf('page', { ...pageCall, anonymousId: { id: 1 } }).problems).toEqual([
        { path: 'anonymousId', message: 'anonymousId must be a string (got an object)' },
      ]);
      expect(problemsOf('page', [pageCall]).problems[0].path).toBe('');
    });
  });

  describe('event time', () => {
    const untimed = { ...pageCall, timestamp: undefined, sentAt: undefined };

    it('moves originalTimestamp by the device clock skew that sentAt shows', () => {
      // The device clock is 1 h 5 s ahead: it sent at 11:00:10 by its clock, we got it at 10:00:05.
      const call = {
        ...untimed,
        originalTimestamp: '2026-11-20T11:00:00.000Z',
        sentAt: '2026-11-20T11:00:10.000Z',
      };
      expect(mapped('page', call).occurredAt).toBe('2026-11-20T09:59:55.000Z');
    });

    it('takes sentAt from the batch when the call has none', () => {
      const call = { ...untimed, originalTimestamp: '2026-11-20T11:00:00.000Z' };
      const result = mapSegmentCall('page', call, options, { sentAt: '2026-11-20T11:00:10.000Z' });
      expect(result.ok && result.mapped.message.occurredAt).toBe('2026-11-20T09:59:55.000Z');
    });

    it('takes originalTimestamp as it is without sentAt, else the receive time', () => {
      expect(
        mapped('page', { ...untimed, originalTimestamp: '2026-11-19T08:00:00Z' }).occurredAt,
      ).toBe('2026-11-19T08:00:00Z');
      expect(mapped('page', untimed).occurredAt).toBe('2026-11-20T10:00:05.000Z');
    });

    it('refuses a timestamp that is no text', () => {
      expect(problemsOf('page', { ...pageCall, timestamp: 1764000000 }).problems).toEqual([
        {
          path: 'timestamp',
          message: 'timestamp must be an ISO 8601 date-time (got number 1764000000)',
        },
      ]);
    });
  });
});
