import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import {
  CHANNELS,
  COMPLAINT_SEVERITIES,
  DIRECTIONS,
  EMAIL_ACTIONS,
  TOUCHPOINT_TYPES,
  type TouchpointType,
} from '@rapport/domain';

/**
 * The touchpoint message for OpenAPI. The contract lives in @rapport/contract (class-validator,
 * the only place input is checked); this describes it, and a spec decodes every example
 * below through that contract so the two can't drift apart unnoticed.
 */
const money: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  required: ['minor', 'currency'],
  properties: {
    minor: {
      type: 'integer',
      minimum: 0,
      maximum: Number.MAX_SAFE_INTEGER,
      description:
        "Integer minor units (cents). A purchase that would take the customer's purchases in the currency past 2^53 - 1 is rejected (CUSTOMER_TOTAL_TOO_LARGE)",
    },
    currency: { type: 'string', pattern: '^[A-Z]{3}$', description: 'ISO 4217' },
  },
};
/** A cancellation takes back at least one minor unit. */
const cancelledMoney: SchemaObject = {
  ...money,
  properties: {
    ...money.properties,
    minor: {
      type: 'integer',
      minimum: 1,
      maximum: Number.MAX_SAFE_INTEGER,
      description:
        'Integer minor units taken back, at least 1 (leave amount out to cancel what is left)',
    },
  },
};
const text = (max: number): SchemaObject => ({ type: 'string', minLength: 1, maxLength: max });
const duration: SchemaObject = { type: 'integer', minimum: 0, maximum: 7 * 24 * 3600 };

const DATA: Record<TouchpointType, SchemaObject> = {
  web_visit: {
    required: ['url'],
    properties: {
      url: text(2048),
      referrer: text(2048),
      sessionId: text(128),
      durationSeconds: duration,
    },
  },
  call: {
    required: ['direction', 'durationSeconds'],
    properties: {
      direction: { enum: [...DIRECTIONS] },
      durationSeconds: duration,
      reason: text(500),
      outcome: text(500),
    },
  },
  email: {
    required: ['direction', 'action'],
    properties: {
      direction: { enum: [...DIRECTIONS] },
      action: { enum: [...EMAIL_ACTIONS] },
      campaignId: text(128),
    },
  },
  purchase: {
    required: ['orderId', 'amount'],
    properties: {
      orderId: text(128),
      amount: money,
      items: {
        type: 'array',
        maxItems: 1000,
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['sku', 'quantity'],
          properties: {
            sku: text(128),
            quantity: { type: 'integer', minimum: 1, maximum: 1_000_000 },
            unitPrice: money,
          },
        },
      },
    },
  },
  cancellation: {
    required: ['orderId'],
    description:
      'Without amount, what is left of the order is cancelled. Several partial cancellations are taken up to what was paid (more: CANCELLATION_EXCEEDS_PAYMENT; after all is cancelled: ORDER_ALREADY_CANCELLED)',
    properties: { orderId: text(128), amount: cancelledMoney, reason: text(500) },
  },
  complaint: {
    required: ['complaintId', 'category'],
    properties: {
      complaintId: text(128),
      category: text(100),
      severity: { enum: [...COMPLAINT_SEVERITIES] },
    },
  },
  complaint_resolved: {
    required: ['complaintId'],
    properties: { complaintId: text(128), resolution: text(500) },
  },
};

export const TOUCHPOINT_SCHEMA: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  description:
    'One touchpoint. Unknown fields are rejected, not ignored, at any depth (names of Object.prototype members such as toString included). It names its customer by customerId, by identifiers, or both (at least one). Over Kafka the message key must be the customerId or one of its identifiers, as type:value or the bare normalised value (else KEY_MISMATCH), and the value UTF-8.',
  required: ['touchpointId', 'source', 'type', 'occurredAt', 'channel', 'data'],
  anyOf: [{ required: ['customerId'] }, { required: ['identifiers'] }],
  properties: {
    touchpointId: {
      type: 'string',
      pattern: '^[\\x21-\\x7e]{1,200}$',
      description: "The producer's id; with source it makes the event id (idempotency)",
    },
    source: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$' },
    customerId: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$' },
    identifiers: {
      type: 'array',
      maxItems: 20,
      description:
        'Who the touchpoint is about as channel systems know them. Values are normalised: email trimmed and lower-cased, phone to E.164 (national numbers in IDENTITY_DEFAULT_REGION), others trimmed. A value that cannot be normalised is a 400 naming identifiers[i].value. An identifier of type customerId means the same as the customerId field.',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['type', 'value'],
        properties: {
          type: {
            type: 'string',
            description:
              'customerId, loyaltyCard, email, phone, anonymousId, or a type configured in IDENTITY_EXTRA_TYPES',
            example: 'email',
          },
          value: { type: 'string', example: 'ada@example.com' },
        },
      },
    },
    type: { type: 'string', enum: [...TOUCHPOINT_TYPES] },
    occurredAt: {
      type: 'string',
      format: 'date-time',
      description: 'Event time, ISO 8601 with Z or an offset',
    },
    channel: { type: 'string', enum: [...CHANNELS] },
    data: {
      description: 'Shape depends on `type`',
      oneOf: TOUCHPOINT_TYPES.map((type) => ({
        title: type,
        type: 'object',
        additionalProperties: false,
        ...DATA[type],
      })),
    },
  },
};

const envelope = (type: TouchpointType, channel: string, data: Record<string, unknown>) => ({
  touchpointId: `${type}-0001`,
  source: channel === 'store' ? 'pos' : channel === 'phone' ? 'callcentre' : 'webshop',
  customerId: 'C-1001',
  type,
  occurredAt: '2026-11-20T14:03:00Z',
  channel,
  data,
});

export const TOUCHPOINT_EXAMPLES: Record<TouchpointType, Record<string, unknown>> = {
  web_visit: envelope('web_visit', 'web', {
    url: 'https://shop.example/boots',
    referrer: 'https://search.example/',
    sessionId: 'S-77',
    durationSeconds: 95,
  }),
  call: envelope('call', 'phone', {
    direction: 'inbound',
    durationSeconds: 240,
    reason: 'delivery',
    outcome: 'resolved',
  }),
  email: envelope('email', 'email', {
    direction: 'outbound',
    action: 'opened',
    campaignId: 'WINTER',
  }),
  purchase: envelope('purchase', 'store', {
    orderId: 'O-55',
    amount: { minor: 4999, currency: 'EUR' },
    items: [{ sku: 'BOOT-42', quantity: 1, unitPrice: { minor: 4999, currency: 'EUR' } }],
  }),
  cancellation: envelope('cancellation', 'store', {
    orderId: 'O-55',
    amount: { minor: 1000, currency: 'EUR' },
    reason: 'damaged',
  }),
  complaint: envelope('complaint', 'phone', {
    complaintId: 'K-9',
    category: 'delivery',
    severity: 'high',
  }),
  complaint_resolved: envelope('complaint_resolved', 'phone', {
    complaintId: 'K-9',
    resolution: 'refunded shipping',
  }),
};

export const TOUCHPOINTS_BODY = {
  required: true,
  description: 'One touchpoint (an object) or several (an array, at most INGEST_MAX_BATCH)',
  schema: {
    oneOf: [TOUCHPOINT_SCHEMA, { type: 'array', minItems: 1, items: TOUCHPOINT_SCHEMA }],
  },
  examples: {
    ...Object.fromEntries(
      TOUCHPOINT_TYPES.map((type) => [
        type,
        { summary: `one ${type}`, value: TOUCHPOINT_EXAMPLES[type] },
      ]),
    ),
    batch: {
      summary: 'a batch: purchase then partial cancellation',
      value: [TOUCHPOINT_EXAMPLES.purchase, TOUCHPOINT_EXAMPLES.cancellation],
    },
  },
};
