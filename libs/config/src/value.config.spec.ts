import { ConfigError, loadConfig } from './rapport.config';

describe('CLV and cost-to-serve configuration', () => {
  it('defaults to a 12-month horizon, 1% a month, spend as margin and nothing costed', () => {
    expect(loadConfig({}).insights.value).toEqual({
      clv: { horizonMonths: 12, monthlyDiscountRate: 0.01, marginShare: 1 },
      unitCosts: { callMinuteMinor: 0, complaintMinor: 0, cancellationMinor: 0, emailSentMinor: 0 },
    });
  });

  it('reads the settings and unit costs', () => {
    const value = loadConfig({
      CLV_HORIZON_MONTHS: '24',
      CLV_MONTHLY_DISCOUNT_RATE: '0.005',
      CLV_MARGIN_SHARE: '0.35',
      COST_PER_CALL_MINUTE: '90',
      COST_PER_EMAIL_SENT: '2',
    }).insights.value;
    expect(value.clv).toEqual({ horizonMonths: 24, monthlyDiscountRate: 0.005, marginShare: 0.35 });
    expect(value.unitCosts).toMatchObject({ callMinuteMinor: 90, emailSentMinor: 2 });
  });

  it('refuses bad values at start, naming each variable and what it must look like', () => {
    let error: ConfigError | undefined;
    try {
      loadConfig({ CLV_MARGIN_SHARE: '35%', COST_PER_COMPLAINT: '12.5', CLV_HORIZON_MONTHS: '0' });
    } catch (e) {
      error = e as ConfigError;
    }
    expect(error?.problems).toEqual(
      expect.arrayContaining([
        'CLV_MARGIN_SHARE must be a decimal from 0 to 1 such as 0.01 (got "35%")',
        'COST_PER_COMPLAINT must be an integer from 0 to 1000000000 (got "12.5")',
        'CLV_HORIZON_MONTHS must be an integer from 1 to 120 (got "0")',
      ]),
    );
  });
});
