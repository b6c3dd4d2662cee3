import { decodeSegmentCall, type SegmentDecodeOptions } from './decode-segment-call';

const options: SegmentDecodeOptions = {
  source: 'segment',
  receivedAt: new Date('2026-11-20T10:00:05.000Z'),
  identifiers: { defaultRegion: 'GB', extraTypes: ['crmId'] },
};

const page = {
  messageId: 'ajs-next-1764000000000-aa11',
  userId: 'C-1001',
  anonymousId: 'a-77',
  properties: { url: 'https://shop.example.com/' },
  context: { traits: { email: '  Jane.Doe@Example.COM ', phone: '020 7946 0958', crmId: 'X-9' } },
  timestamp: '2026-11-20T09:00:00Z',
};

describe('decoding a Segment call through the touchpoint contract', () => {
  it('gives the touchpoint with its identifiers normalised by the contract', () => {
    const decoded = decodeSegmentCall('page', page, options);
    expect(decoded).toEqual({
      ok: true,
      touchpoint: {
        touchpointId: page.messageId,
        source: 'segment',
        customerId: 'C-1001',
        identifiers: [
          { type: 'anonymousId', value: 'a-77' },
          { type: 'email', value: 'jane.doe@example.com' },
          { type: 'phone', value: '+442079460958' },
          { type: 'crmId', value: 'X-9' },
        ],
        type: 'web_visit',
        occurredAt: '2026-11-20T09:00:00.000Z',
        channel: 'web',
        data: { url: 'https://shop.example.com/' },
      },
    });
  });

  it('takes an anonymous visitor without userId: identified by the anonymousId alone', () => {
    const { userId: _userId, context: _context, ...anonymous } = page;
    const decoded = decodeSegmentCall('page', anonymous, options);
    expect(decoded.ok && decoded.touchpoint).toMatchObject({
      identifiers: [{ type: 'anonymousId', value: 'a-77' }],
    });
    expect(decoded.ok && decoded.touchpoint).not.toHaveProperty('customerId');
  });

  it('names what the contract refuses by the Segment field it came from', () => {
    const decoded = decodeSegmentCall(
      'page',
      {
        ...page,
        userId: 'has spaces',
        context: { traits: { email: 'not-an-email', phone: '12' } },
        timestamp: '2026-11-20T09:00:00',
        messageId: 'with space',
      },
      options,
    );
    expect(decoded.ok).toBe(false);
    const problems = decoded.ok ? [] : decoded.problems;
    expect(problems.map((p) => p.path).sort()).toEqual(
      ['context.traits.email', 'context.traits.phone', 'messageId', 'timestamp', 'userId'].sort(),
    );
    expect(problems.find((p) => p.path === 'context.traits.email')?.message).toMatch(
      /^context\.traits\.email \(as identifiers\[1\]\.value\): /,
    );
    expect(problems.find((p) => p.path === 'messageId')?.message).toMatch(
      /^messageId \(as touchpointId\): touchpointId must be 1–200 printable ASCII/,
    );
  });

  it('names the order field an amount came from when the contract refuses it', () => {
    const decoded = decodeSegmentCall(
      'track',
      {
        ...page,
        event: 'Order Completed',
        properties: {
          order_id: 'O-1',
          total: 10,
          currency: 'EUR',
          products: [{ sku: 'S-1', quantity: 0 }],
        },
      },
      options,
    );
    expect(decoded).toMatchObject({
      ok: false,
      code: 'SEGMENT_CALL_INVALID',
      problems: [
        {
          path: 'properties.products[0].quantity',
          message: expect.stringMatching(
            /^properties\.products\[0\]\.quantity \(as data\.items\[0\]\.quantity\)/,
          ),
        },
      ],
    });
  });

  describe('an identify call', () => {
    const identify = {
      messageId: 'ajs-next-1764000000001-bb22',
      userId: 'C-1001',
      anonymousId: 'a-77',
      traits: { email: ' Jane.Doe@Example.COM', phone: '020 7946 0958', name: 'Jane Doe' },
      timestamp: '2026-11-20T09:01:00+01:00',
    };

    it('gives who it names, normalised, and no touchpoint', () => {
      expect(decodeSegmentCall('identify', identify, options)).toEqual({
        ok: true,
        identify: {
          source: 'segment',
          messageId: identify.messageId,
          occurredAt: '2026-11-20T08:01:00.000Z',
          customerId: 'C-1001',
          identifiers: [
            { type: 'anonymousId', value: 'a-77' },
            { type: 'email', value: 'jane.doe@example.com' },
            { type: 'phone', value: '+442079460958' },
          ],
        },
      });
    });

    it('names what it refuses by the Segment field it came from', () => {
      const decoded = decodeSegmentCall(
        'identify',
        {
          ...identify,
          messageId: 'with space',
          userId: 'has spaces',
          traits: { email: 'not-an-email', phone: '12' },
          timestamp: '2026-02-30T09:00:00Z',
        },
        options,
      );
      expect(decoded.ok).toBe(false);
      const problems = decoded.ok ? [] : decoded.problems;
      expect(problems.map((p) => p.path).sort()).toEqual(
        ['messageId', 'timestamp', 'traits.email', 'traits.phone', 'userId'].sort(),
      );
      expect(problems.find((p) => p.path === 'traits.email')?.message).toMatch(
        /^traits\.email \(as identifiers\[1\]\.value\): /,
      );
    });

    it('refuses a call from the future, as every touchpoint', () => {
      const decoded = decodeSegmentCall(
        'identify',
        { ...identify, timestamp: '2026-11-25T00:00:00Z' },
        options,
      );
      expect(decoded).toMatchObject({ ok: false, problems: [{ path: 'timestamp' }] });
    });
  });
});
