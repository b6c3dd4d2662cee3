import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import type { SegmentCallType } from '@rapport/contract';

/**
 * Segment calls for OpenAPI: the fields Rapport reads (the Segment spec lets trackers send
 * more, which is taken and ignored). The mapping itself is @rapport/contract's mapSegmentCall;
 * a spec sends every example below through it, so the two can't drift apart unnoticed.
 */
const common: Record<string, SchemaObject> = {
  messageId: {
    type: 'string',
    description:
      'The idempotency key: recorded as the touchpointId, so a retried call is one event; ' +
      'for identify, named as the evidence of the links it makes, so a retried call links once',
  },
  writeKey: {
    type: 'string',
    description:
      'The write key (an API key of role segment), as analytics.js in a browser sends it: taken when the ' +
      'request has no key in its headers and the body declares at most 512 KiB (Content-Length); never stored',
  },
  userId: { type: 'string', description: 'Your id of the customer: the customerId' },
  anonymousId: {
    type: 'string',
    description: 'The device or browser id: an anonymousId identifier',
  },
  timestamp: { type: 'string', format: 'date-time', description: 'When it happened' },
  originalTimestamp: {
    type: 'string',
    format: 'date-time',
    description: "When it happened by the device's clock, corrected by sentAt for its skew",
  },
  sentAt: {
    type: 'string',
    format: 'date-time',
    description: "When it was sent, by the device's clock",
  },
  context: {
    type: 'object',
    description:
      'context.page (url, referrer) for page calls; context.traits (email, phone) as identifiers; ' +
      'context.app / device.type (app) or page / userAgent (web) choose the channel of a track call',
  },
};

const CALLS: Record<SegmentCallType, SchemaObject> = {
  page: {
    properties: {
      properties: {
        type: 'object',
        description:
          'url (or path) and referrer of the page; title, name and the rest are not kept',
      },
    },
  },
  track: {
    required: ['event'],
    properties: {
      event: { type: 'string', enum: ['Order Completed', 'Order Cancelled', 'Order Refunded'] },
      properties: {
        type: 'object',
        description:
          'order_id; total (else revenue) and currency (else SEGMENT_DEFAULT_CURRENCY) as a decimal of the major unit; ' +
          'products[] with sku (else product_id), quantity and price',
      },
    },
  },
  identify: {
    properties: {
      traits: {
        type: 'object',
        description:
          'email, phone, loyaltyCard and configured identifier types (IDENTITY_EXTRA_TYPES): identifiers ' +
          'linked, with userId and anonymousId, to one profile; no touchpoint is recorded; the other traits are not kept',
      },
    },
  },
};

export function segmentCallSchema(type: SegmentCallType): SchemaObject {
  return {
    type: 'object',
    required: ['messageId', ...(CALLS[type].required ?? [])],
    description: 'userId or anonymousId is required',
    properties: { ...common, ...CALLS[type].properties },
  };
}

const ANONYMOUS_ID = '6c2a7f2e-4b1d-4a63-9a57-1f0a9c3b2d10';

export const SEGMENT_EXAMPLES: Record<SegmentCallType, Record<string, unknown>> = {
  page: {
    type: 'page',
    messageId: 'ajs-next-1790000000000-5d8e0c1b-2f3a-4b5c-8d9e-0a1b2c3d4e5f',
    anonymousId: ANONYMOUS_ID,
    name: 'Pricing',
    properties: {
      url: 'https://shop.example.com/pricing',
      referrer: 'https://www.example.org/',
      title: 'Pricing',
    },
    context: { library: { name: 'analytics.js', version: 'next-1.70.0' } },
    timestamp: '2026-11-20T14:00:00.000Z',
  },
  identify: {
    type: 'identify',
    messageId: 'ajs-next-1790000000001-1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
    userId: 'C-1001',
    anonymousId: ANONYMOUS_ID,
    traits: { email: 'Jane.Doe@Example.com', phone: '+44 20 7946 0958', name: 'Jane Doe' },
    timestamp: '2026-11-20T14:01:00.000Z',
  },
  track: {
    type: 'track',
    event: 'Order Completed',
    messageId: 'node-next-1790000000002-9f8e7d6c-5b4a-4c3d-9e2f-1a0b9c8d7e6f',
    userId: 'C-1001',
    properties: {
      order_id: 'O-55',
      total: 49.99,
      currency: 'EUR',
      products: [{ product_id: 'P-7', sku: 'SKU-7', price: 49.99, quantity: 1 }],
    },
    timestamp: '2026-11-20T14:03:00.000Z',
  },
};

export function segmentCallBody(type: SegmentCallType) {
  return {
    required: true,
    description: `One Segment ${type} call (Segment HTTP tracking API)`,
    schema: segmentCallSchema(type),
    examples: { [type]: { summary: `a ${type} call`, value: SEGMENT_EXAMPLES[type] } },
  };
}

export const SEGMENT_BATCH_BODY = {
  required: true,
  description:
    'Segment calls in `batch` (at most INGEST_MAX_BATCH), each with its own `type`; `sentAt` and `context` ' +
    'at the top apply to the calls that have none',
  schema: {
    type: 'object',
    required: ['batch'],
    properties: {
      batch: {
        type: 'array',
        minItems: 1,
        items: {
          oneOf: (['page', 'identify', 'track'] as const).map((type) => ({
            ...segmentCallSchema(type),
            required: ['type', ...(segmentCallSchema(type).required ?? [])],
            properties: {
              type: { type: 'string', enum: [type] },
              ...segmentCallSchema(type).properties,
            },
          })),
        },
      },
      sentAt: common.sentAt,
      context: common.context,
      writeKey: common.writeKey,
    },
  } satisfies SchemaObject,
  examples: {
    visit_login_order: {
      summary: 'an anonymous page view, the login (identify), the order',
      value: {
        batch: [SEGMENT_EXAMPLES.page, SEGMENT_EXAMPLES.identify, SEGMENT_EXAMPLES.track],
        sentAt: '2026-11-20T14:03:01.000Z',
      },
    },
  },
};
