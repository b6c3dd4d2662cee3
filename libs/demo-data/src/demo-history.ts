import {
  mulberry32,
  sampleBeta,
  sampleExponential,
  sampleGamma,
  sampleStandardNormal,
} from '@rapport/analytics';
import type { Channel, Touchpoint } from '@rapport/domain';
import { DEMO_DEFAULTS, type DemoHistoryOptions } from './demo-history.options';

const DAY = 86_400_000;
const CALL_REASONS = [
  'order status',
  'billing question',
  'product advice',
  'return',
  'delivery',
] as const;
const COMPLAINT_CATEGORIES = ['delivery', 'product quality', 'billing', 'service'] as const;
const CAMPAIGNS_PER_MONTH = 2;

type Random = () => number;

/**
 * A deterministic synthetic history: one customer after another, each customer's touchpoints
 * in event-time order, so it streams in constant memory and satisfies every invariant
 * (cancellations and resolutions follow what they refer to). Same options, same touchpoints.
 *
 * Each customer arrives at a random time, buys as a Poisson process with their own rate and
 * may leave after each purchase (BG/NBD's story); order values are heavy-tailed per customer,
 * so a minority brings most revenue. Around purchases there are web visits; campaigns send
 * emails that engaged customers open; some customers call; some orders are cancelled or draw
 * a complaint, most of which get resolved.
 */
export function* generateDemoHistory(options: DemoHistoryOptions): Generator<Touchpoint> {
  const settings = { ...DEMO_DEFAULTS, ...options };
  const end = Date.parse(settings.endAt);
  if (Number.isNaN(end)) throw new Error(`endAt is not a date: ${settings.endAt}`);
  const start = end - settings.months * 30.44 * DAY;
  for (let c = 0; c < settings.customers; c++) {
    // One generator per customer: customer k's history does not depend on how many came before.
    const random = mulberry32(hash(settings.seed, c));
    yield* customerHistory(`C-${String(c + 1).padStart(6, '0')}`, random, start, end, settings);
  }
}

function customerHistory(
  customerId: string,
  random: Random,
  start: number,
  end: number,
  settings: Required<Omit<DemoHistoryOptions, 'customers' | 'months' | 'seed' | 'endAt'>> & {
    seed: number;
  },
): Touchpoint[] {
  const touchpoints: Touchpoint[] = [];
  let sequence = 0;
  const add = (
    source: string,
    at: number,
    channel: Channel,
    rest: Pick<Touchpoint, 'type' | 'data'>,
  ) => {
    if (at > end) return;
    sequence += 1;
    touchpoints.push({
      touchpointId: `${source}-${customerId}-${sequence}`,
      source,
      customerId,
      occurredAt: new Date(Math.floor(at / 1000) * 1000).toISOString(),
      channel,
      ...rest,
    } as Touchpoint);
  };

  const arrival = start + random() * (end - start);
  const rate = sampleGamma(random, settings.purchaseRate.r, settings.purchaseRate.alpha);
  const dropout = sampleBeta(random, settings.dropout.a, settings.dropout.b);
  const typicalOrder =
    settings.orderValue.medianMinor *
    Math.exp(settings.orderValue.sigma * sampleStandardNormal(random));
  const likesApp = random() < 0.2;
  let leftAt = end;
  let purchaseAt = arrival;
  let orders = 0;

  while (purchaseAt <= end) {
    orders += 1;
    const orderId = `O-${customerId}-${orders}`;
    const channel: Channel = random() < 0.6 ? (likesApp ? 'app' : 'web') : 'store';
    for (let v = Math.floor(random() * 3); v > 0; v--) {
      add('webshop', purchaseAt - random() * 3 * DAY, 'web', {
        type: 'web_visit',
        data: visit(random, customerId),
      });
    }
    const minor = Math.max(
      100,
      Math.round(typicalOrder * Math.exp(0.3 * sampleStandardNormal(random))),
    );
    add(channel === 'store' ? 'pos' : channel === 'app' ? 'app' : 'webshop', purchaseAt, channel, {
      type: 'purchase',
      data: {
        orderId,
        amount: { minor, currency: settings.currency },
        items: [
          { sku: `SKU-${1 + Math.floor(random() * 400)}`, quantity: 1 + Math.floor(random() * 3) },
        ],
      },
    });
    let unhappy = false;
    if (random() < settings.cancellationRate) {
      const partial = random() < 0.3;
      add('crm', purchaseAt + (1 + random() * 9) * DAY, channel, {
        type: 'cancellation',
        data: {
          orderId,
          ...(partial
            ? {
                amount: {
                  minor: Math.max(1, Math.round(minor * 0.4)),
                  currency: settings.currency,
                },
              }
            : {}),
          reason: partial ? 'item missing' : 'changed mind',
        },
      });
    }
    if (random() < settings.complaintRate) {
      const complaintId = `K-${customerId}-${orders}`;
      const raisedAt = purchaseAt + (1 + random() * 13) * DAY;
      add('callcentre', raisedAt, 'phone', {
        type: 'complaint',
        data: {
          complaintId,
          category: pick(random, COMPLAINT_CATEGORIES),
          severity: random() < 0.2 ? 'high' : 'medium',
        },
      });
      if (random() < 0.8) {
        add('callcentre', raisedAt + (1 + random() * 19) * DAY, 'phone', {
          type: 'complaint_resolved',
          data: { complaintId, resolution: 'refund' },
        });
      } else {
        unhappy = true;
      }
    }
    // After each purchase the customer may leave for good (more likely when left unhappy).
    if (random() < (unhappy ? Math.min(1, dropout * 3) : dropout)) {
      leftAt = purchaseAt + random() * 30 * DAY;
      break;
    }
    purchaseAt += sampleExponential(random, rate) * DAY;
  }

  addBackground(add, random, customerId, arrival, leftAt, end);
  return touchpoints.sort((x, y) =>
    x.occurredAt < y.occurredAt ? -1 : x.occurredAt > y.occurredAt ? 1 : 0,
  );
}

/** Browsing, campaign emails and calls while the customer is around, fading after they leave. */
function addBackground(
  add: (
    source: string,
    at: number,
    channel: Channel,
    rest: Pick<Touchpoint, 'type' | 'data'>,
  ) => void,
  random: Random,
  customerId: string,
  arrival: number,
  leftAt: number,
  end: number,
): void {
  const engagement = 0.2 + random() * 0.6;
  for (
    let at = arrival + sampleExponential(random, 1 / 20) * DAY;
    at < end;
    at += sampleExponential(random, 1 / 20) * DAY
  ) {
    if (at > leftAt && random() < 0.85) continue;
    add('webshop', at, 'web', { type: 'web_visit', data: visit(random, customerId) });
  }
  const firstCampaign = Math.ceil(arrival / ((30.44 * DAY) / CAMPAIGNS_PER_MONTH));
  for (let k = firstCampaign; k * ((30.44 * DAY) / CAMPAIGNS_PER_MONTH) < end; k++) {
    const sentAt = k * ((30.44 * DAY) / CAMPAIGNS_PER_MONTH) + 9 * 3600_000;
    const campaignId = `CMP-${k}`;
    add('email-platform', sentAt, 'email', {
      type: 'email',
      data: { direction: 'outbound', action: 'sent', campaignId },
    });
    const interested = sentAt < leftAt ? engagement : engagement * 0.15;
    if (random() < interested) {
      add('email-platform', sentAt + random() * 2 * DAY, 'email', {
        type: 'email',
        data: { direction: 'outbound', action: 'opened', campaignId },
      });
      if (random() < 0.3) {
        add('email-platform', sentAt + (2 + random() * 2) * DAY, 'email', {
          type: 'email',
          data: { direction: 'outbound', action: 'clicked', campaignId },
        });
      }
    }
  }
  for (
    let at = arrival + sampleExponential(random, 1 / 200) * DAY;
    at < Math.min(end, leftAt + 30 * DAY);
    at += sampleExponential(random, 1 / 200) * DAY
  ) {
    add('callcentre', at, 'phone', {
      type: 'call',
      data: {
        direction: 'inbound',
        durationSeconds: 60 + Math.floor(random() * 900),
        reason: pick(random, CALL_REASONS),
        outcome: 'answered',
      },
    });
  }
}

function visit(random: Random, customerId: string) {
  return {
    url: `https://shop.example.com/p/${1 + Math.floor(random() * 400)}`,
    sessionId: `S-${customerId}-${Math.floor(random() * 1e9).toString(36)}`,
    durationSeconds: 10 + Math.floor(random() * 600),
  };
}

function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)];
}

/** Mixes the seed and the customer number into an independent 32-bit stream seed. */
function hash(seed: number, index: number): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  h = Math.imul(h ^ index, 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}
