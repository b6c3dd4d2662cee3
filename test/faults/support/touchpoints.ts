import type { SeededRandom } from './seeded-random';

export type TouchpointMessage = Record<string, unknown> & {
  touchpointId: string;
  source: string;
  customerId: string;
};

/**
 * Valid touchpoints of the kinds that carry no cross-message rule (visits, calls, emails,
 * purchases), so that any subset of them is acceptable in any order: what lands depends only
 * on what was accepted, which is what the crash checks compare.
 */
export function randomTouchpoint(
  random: SeededRandom,
  label: string,
  sequence: number,
  customers: number,
): TouchpointMessage {
  const customerId = `C-${label}-${random.int(1, customers)}`;
  const day = random.int(1, 28);
  const month = random.int(1, 9);
  const occurredAt = `2026-0${month}-${String(day).padStart(2, '0')}T${String(random.int(0, 23)).padStart(2, '0')}:00:00Z`;
  const base = { touchpointId: `${label}-${sequence}`, customerId, occurredAt };
  switch (random.int(0, 3)) {
    case 0:
      return {
        ...base,
        source: 'web',
        type: 'web_visit',
        channel: 'web',
        data: { url: `https://shop.example/p/${sequence}` },
      };
    case 1:
      return {
        ...base,
        source: 'callcentre',
        type: 'call',
        channel: 'phone',
        data: { direction: 'inbound', durationSeconds: random.int(10, 900) },
      };
    case 2:
      return {
        ...base,
        source: 'esp',
        type: 'email',
        channel: 'email',
        data: { direction: 'outbound', action: 'opened' },
      };
    default:
      return {
        ...base,
        source: 'pos',
        type: 'purchase',
        channel: 'store',
        data: {
          orderId: `O-${label}-${sequence}`,
          amount: { minor: random.int(100, 250_000), currency: 'EUR' },
        },
      };
  }
}
