import type { InsightsSnapshot } from '@rapport/insights';
import { emptyAnswerReason, partialAnswerNote } from './empty-answer';

const snapshot = (over: Partial<InsightsSnapshot>): InsightsSnapshot =>
  ({ customers: 12, ...over }) as InsightsSnapshot;
const currencies = {
  reportingCurrency: 'EUR',
  unrankedCustomers: 3,
  unrankedByCurrency: { USD: 3 },
  note: '3 customers have no EUR revenue in the last 12 months but revenue in other currencies (USD 3): …',
};

describe('what a population answer says about whom it leaves out', () => {
  it('says nothing when it leaves out no one', () => {
    expect(partialAnswerNote(snapshot({}))).toBeUndefined();
  });

  it('counts the customers in other currencies and those excluded from the population', () => {
    const note = partialAnswerNote(
      snapshot({
        currencies,
        excluded: {
          count: 2,
          customers: [
            {
              customerId: 'C-9',
              reason: 'parked: event X at position 7 could not be applied (boom)',
            },
          ],
        },
      }),
    );
    expect(note).toBe(
      `${currencies.note}; 2 customers are left out of every population result (first: C-9, parked: event X at position 7 could not be applied (boom))`,
    );
  });

  it('says why an empty answer is empty, and whom it leaves out', () => {
    expect(emptyAnswerReason(snapshot({ currencies }), 'these filters')).toBe(
      `no customer of 12 matches these filters; ${currencies.note}`,
    );
  });
});
