import { buildValueModel } from './value-model';
import { DEFAULT_VALUE_SETTINGS } from './customer-value';

const options = { currency: 'EUR', windowMonths: 12, minCustomersForFit: 2 };
const customer = (revenueMinor: number, otherCurrencies: readonly string[] = []) => ({
  revenueMinor,
  spend: null,
  otherCurrencies,
});

describe('currency coverage of the value model', () => {
  describe('when customers pay in EUR, in USD only, in GBP and USD, and in EUR and USD', () => {
    const { currencies } = buildValueModel(
      [
        customer(5_000),
        customer(0),
        customer(0, ['USD']),
        customer(0, ['USD']),
        customer(0, ['GBP', 'USD']),
        customer(7_000, ['USD']),
      ],
      options,
      DEFAULT_VALUE_SETTINGS,
    );

    it('counts those without EUR revenue per currency they have, and in all', () => {
      expect(currencies).toMatchObject({
        reportingCurrency: 'EUR',
        unrankedCustomers: 3,
        unrankedByCurrency: { USD: 3, GBP: 1 },
      });
    });

    it('counts those ranked on EUR whose other revenue their tier leaves out', () => {
      expect(currencies).toMatchObject({
        partlyRankedCustomers: 1,
        partlyRankedByCurrency: { USD: 1 },
      });
    });

    it('says both in its note, with the counts per currency', () => {
      expect(currencies.note).toBe(
        '3 customers have no EUR revenue in the last 12 months but revenue in other currencies ' +
          '(USD 3, GBP 1): revenue is ranked in REPORTING_CURRENCY EUR only, so they have no tier ' +
          'and no CLV; 1 customers ranked on their EUR revenue also have revenue in other ' +
          'currencies (USD 1), which their tier and CLV leave out',
      );
    });
  });

  it('has no note when every customer pays in the reporting currency', () => {
    const { currencies } = buildValueModel(
      [customer(5_000), customer(0)],
      options,
      DEFAULT_VALUE_SETTINGS,
    );
    expect(currencies).toEqual({
      reportingCurrency: 'EUR',
      unrankedCustomers: 0,
      unrankedByCurrency: {},
      partlyRankedCustomers: 0,
      partlyRankedByCurrency: {},
    });
  });
});
