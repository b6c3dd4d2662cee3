import { aTouchpoint, record } from '../testing';
import { DomainError } from '../shared/domain.error';
import { decide, decideInTurn, type Decision } from './customer.decider';
import type { CustomerCommand } from './customer.commands';
import { evolve, foldCustomer, initialCustomerState, type CustomerState } from './customer.state';

const EUR = (minor: number) => ({ minor, currency: 'EUR' });

/** decide and evolve one command at a time: what decideInTurn must agree with. */
function oneByOne(commands: readonly CustomerCommand[], start: CustomerState) {
  let state = start;
  const decisions = commands.map((command): Decision => {
    try {
      const events = decide(command, state);
      for (const event of events) state = evolve(state, event);
      return { ok: true, events };
    } catch (error) {
      if (error instanceof DomainError) return { ok: false, error };
      throw error;
    }
  });
  return { decisions, state };
}

describe('decideInTurn', () => {
  const purchase = aTouchpoint('purchase', { orderId: 'O-1', amount: EUR(5_000) });
  const history = foldCustomer([]);

  describe('when a batch mixes new, repeated and refused touchpoints', () => {
    const commands = [
      record(purchase),
      record(purchase),
      record(aTouchpoint('purchase', { orderId: 'O-1', amount: EUR(10) })),
      record(aTouchpoint('cancellation', { orderId: 'O-1', amount: EUR(2_000) })),
      record(aTouchpoint('cancellation', { orderId: 'O-1' })),
      record(aTouchpoint('cancellation', { orderId: 'O-1' })),
      record(aTouchpoint('cancellation', { orderId: 'O-9' })),
      record(aTouchpoint('complaint', { complaintId: 'K-1', category: 'delivery' })),
      record(aTouchpoint('complaint_resolved', { complaintId: 'K-1' })),
      record(aTouchpoint('complaint_resolved', { complaintId: 'K-1' })),
      record(aTouchpoint('web_visit', { url: 'https://shop.example/' })),
    ];

    it('decides each against the state the earlier ones left, as decide and evolve one by one do', () => {
      const inTurn = decideInTurn(commands, history);
      const expected = oneByOne(commands, history);
      expect(inTurn.decisions).toEqual(expected.decisions);
      expect(inTurn.decisions.map((d) => (d.ok ? d.events.length : d.error.code))).toEqual([
        1,
        0,
        'ORDER_ALREADY_PURCHASED',
        1,
        1,
        'ORDER_ALREADY_CANCELLED',
        'ORDER_NOT_FOUND',
        1,
        1,
        'COMPLAINT_ALREADY_RESOLVED',
        1,
      ]);
      expect(contentsOf(inTurn.state)).toEqual(contentsOf(expected.state));
    });

    it('leaves the state it was given as it was', () => {
      const given = oneByOne(
        [record(aTouchpoint('email', emailData())), record(purchase)],
        initialCustomerState(),
      ).state;
      const snapshot = contentsOf(given);
      const decided = decideInTurn(commands, given);
      expect(contentsOf(given)).toEqual(snapshot);
      expect(contentsOf(decided.state)).not.toEqual(snapshot);
    });
  });
});

function contentsOf(state: CustomerState) {
  return {
    recorded: [...state.recorded],
    orders: [...state.orders].map(([id, order]) => [id, { ...order }]),
    complaints: [...state.complaints],
    purchasedMinor: [...state.purchasedMinor],
  };
}

function emailData() {
  return { direction: 'outbound' as const, action: 'sent' as const };
}

describe('event metadata', () => {
  const visit = () => aTouchpoint('web_visit', { url: 'https://shop.example/' });

  it('is one frozen object for the events of one batch', () => {
    const { decisions } = decideInTurn([record(visit()), record(visit())], initialCustomerState());
    const [first, second] = decisions.map((d) => (d.ok ? d.events[0].metadata : undefined));
    expect(first).toBe(second);
    expect(Object.isFrozen(first)).toBe(true);
  });

  it('is never another batch’s: each event carries its own source and correlation', () => {
    const a = decide(record(visit(), 'kafka:t/0/1'), initialCustomerState());
    const b = decide(record(visit(), 'kafka:t/0/2'), initialCustomerState());
    const c = decide(
      record(aTouchpoint('web_visit', { url: 'https://x/' }, { source: 'pos' }), 'kafka:t/0/2'),
      initialCustomerState(),
    );
    expect(a[0].metadata).toMatchObject({ source: 'test', correlationId: 'kafka:t/0/1' });
    expect(b[0].metadata).toMatchObject({ source: 'test', correlationId: 'kafka:t/0/2' });
    expect(c[0].metadata).toMatchObject({ source: 'pos', correlationId: 'kafka:t/0/2' });
  });
});
