import type { Touchpoint } from '../touchpoint/touchpoint';
import type { CustomerEvent } from '../customer/customer.events';
import { recordTouchpoint, type RecordTouchpoint } from '../customer/customer.commands';
import { decide } from '../customer/customer.decider';
import { foldCustomer } from '../customer/customer.state';

let sequence = 0;

/** A valid touchpoint of the given type with sensible defaults; override any field. */
export function aTouchpoint<T extends Touchpoint['type']>(
  type: T,
  data: Extract<Touchpoint, { type: T }>['data'],
  overrides: Partial<Omit<Touchpoint, 'type' | 'data'>> = {},
): Extract<Touchpoint, { type: T }> {
  sequence += 1;
  return {
    touchpointId: `tp-${sequence}`,
    source: 'test',
    customerId: 'C-1',
    type,
    occurredAt: '2026-01-01T10:00:00.000Z',
    channel: 'web',
    data,
    ...overrides,
  } as Extract<Touchpoint, { type: T }>;
}

export const INGESTED_AT = '2026-01-02T00:00:00.000Z';

export function record(touchpoint: Touchpoint, correlationId = 'corr-1'): RecordTouchpoint {
  return recordTouchpoint(touchpoint, INGESTED_AT, correlationId);
}

/** Events a sequence of touchpoints produces, as the decider would record them. */
export function historyOf(...touchpoints: Touchpoint[]): CustomerEvent[] {
  const events: CustomerEvent[] = [];
  for (const touchpoint of touchpoints)
    events.push(...decide(record(touchpoint), foldCustomer(events)));
  return events;
}

/** given(events).when(command).then(events) | .thenThrows(code) */
export function given(history: readonly CustomerEvent[]) {
  return {
    when(command: RecordTouchpoint) {
      const run = () => decide(command, foldCustomer(history));
      return {
        then(expected: readonly CustomerEvent[]) {
          expect(run()).toEqual(expected);
        },
        thenThrows(code: string) {
          expect(run).toThrow(
            expect.objectContaining({ code, retryable: false }) as unknown as Error,
          );
        },
      };
    },
  };
}
