import fc from 'fast-check';
import { EarliestEventTimes } from './earliest-event-times';

type Step =
  | { readonly kind: 'add'; readonly customer: number; readonly at: number; readonly count: number }
  | { readonly kind: 'pass'; readonly by: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('add' as const),
      customer: fc.nat(7),
      // Few distinct times: equal ones, earlier ones after later ones, the unreadable one.
      at: fc.oneof(fc.integer({ min: 0, max: 20 }), fc.constant(Number.NEGATIVE_INFINITY)),
      count: fc.oneof(fc.constant(1), fc.integer({ min: 1, max: 900 })),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('pass' as const), by: fc.nat(1_200) }) },
);

/** The earliest time per customer among the events after `cursor`, each event looked at. */
function naive(
  events: ReadonlyArray<{ customer: string; position: bigint; at: number }>,
  cursor: bigint,
) {
  const earliest = new Map<string, number>();
  for (const { customer, position, at } of events)
    if (position > cursor && at < (earliest.get(customer) ?? Infinity)) earliest.set(customer, at);
  return earliest;
}

describe('EarliestEventTimes', () => {
  it('given events of several customers in position order and a position passing them, then each customer’s earliest time after it, as a look at every event says', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 40 }), (steps) => {
        const times = new EarliestEventTimes();
        const events: Array<{ customer: string; position: bigint; at: number }> = [];
        let cursor = -1n;
        for (const s of steps) {
          if (s.kind === 'add') {
            for (let n = 0; n < s.count; n++) {
              // Only events after the position are added; positions need not be dense.
              const last = events.at(-1)?.position ?? -1n;
              const position = (last > cursor ? last : cursor) + 1n + BigInt(n % 2);
              const event = { customer: `C-${s.customer}`, position, at: s.at + (n % 3) };
              events.push(event);
              times.add(event.customer, event.position, event.at);
            }
          } else {
            cursor += BigInt(s.by);
            times.passUpTo(cursor);
          }
          expect(new Map(times.earliest())).toEqual(naive(events, cursor));
        }
      }),
      { numRuns: 200 },
    );
  });

  it('given a catch-up’s many events, most of them passed, then the few left and those added after still answer (the columns grown, then given back)', () => {
    const times = new EarliestEventTimes();
    for (let n = 0; n < 100_000; n++) times.add(`C-${n % 50}`, BigInt(n), n);
    times.passUpTo(99_990n);
    times.add('C-new', 100_000n, 5);

    expect(new Map(times.earliest())).toEqual(
      new Map([
        ...Array.from({ length: 9 }, (_, i) => [`C-${(99_991 + i) % 50}`, 99_991 + i] as const),
        ['C-new', 5],
      ]),
    );
  });
});
