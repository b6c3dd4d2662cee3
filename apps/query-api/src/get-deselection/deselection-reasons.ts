import type { CostDriver } from '@rapport/analytics';
import type { InsightsRow } from '@rapport/insights';

const UNITS: Readonly<Record<CostDriver, string>> = {
  calls: 'call minutes',
  complaints: 'complaints',
  cancellations: 'cancellations or returns',
  emails: 'emails sent',
};

/** The figures behind a negative net value, most costly driver first, amounts in `currency`. */
export function deselectionReasons(
  row: InsightsRow,
  currency: string,
  horizonMonths: number,
): string[] {
  const money = (minor: number) => `${minor} ${currency} minor units`;
  const reasons = [
    `expected cost to serve over ${horizonMonths} months ${money(row.predictedCostMinor ?? 0)} ` +
      `exceeds the CLV ${money(row.clvMinor ?? 0)} by ${money(-(row.netValueMinor ?? 0))}`,
  ];
  if (row.clvBasis === 'no-purchase-yet')
    reasons.push(
      `no purchase yet: the CLV is what the model predicts for a customer without a repeat ` +
        `purchase since first seen on ${row.firstSeenAt.slice(0, 10)}, at the population's mean spend`,
    );
  for (const part of row.costParts ?? [])
    reasons.push(
      `${UNITS[part.driver]} in the trailing window: ${round(part.units)} costing ${money(part.costMinor)}`,
    );
  return reasons;
}

function round(units: number): string {
  return Number.isInteger(units) ? String(units) : units.toFixed(1);
}
