/** CLV and cost to serve: how value is predicted and what serving a customer costs. */
export interface ValueConfig {
  readonly clv: {
    readonly horizonMonths: number;
    readonly monthlyDiscountRate: number;
    /** Share of spend that is margin; 1 (the default) makes CLV expected discounted spend. */
    readonly marginShare: number;
  };
  /** Unit costs in minor units of REPORTING_CURRENCY; 0 (the default): not costed. */
  readonly unitCosts: {
    readonly callMinuteMinor: number;
    readonly complaintMinor: number;
    readonly cancellationMinor: number;
    readonly emailSentMinor: number;
  };
}

type Env = Readonly<Record<string, string | undefined>>;
type IntReader = (name: string, fallback: number, min: number, max: number) => number;

const MAX_UNIT_COST = 1_000_000_000;

export function parseValueConfig(env: Env, int: IntReader, problems: string[]): ValueConfig {
  const share = (name: string, fallback: number): number => {
    const raw = env[name]?.trim();
    if (!raw) return fallback;
    const value = Number(raw);
    if (!/^\d+(\.\d+)?$/.test(raw) || !(value >= 0 && value <= 1)) {
      problems.push(`${name} must be a decimal from 0 to 1 such as 0.01 (got "${raw}")`);
      return fallback;
    }
    return value;
  };
  const cost = (name: string) => int(name, 0, 0, MAX_UNIT_COST);
  return {
    clv: {
      horizonMonths: int('CLV_HORIZON_MONTHS', 12, 1, 120),
      monthlyDiscountRate: share('CLV_MONTHLY_DISCOUNT_RATE', 0.01),
      marginShare: share('CLV_MARGIN_SHARE', 1),
    },
    unitCosts: {
      callMinuteMinor: cost('COST_PER_CALL_MINUTE'),
      complaintMinor: cost('COST_PER_COMPLAINT'),
      cancellationMinor: cost('COST_PER_CANCELLATION'),
      emailSentMinor: cost('COST_PER_EMAIL_SENT'),
    },
  };
}
