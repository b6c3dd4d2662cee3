/** An amount of money in integer minor units (cents) of an ISO 4217 currency. Never a float. */
export interface Money {
  readonly minor: number;
  readonly currency: string;
}

/** Totals per currency, in minor units: amounts in different currencies are never added together. */
export type MoneyByCurrency = Readonly<Record<string, number>>;

export function addMoney(
  totals: MoneyByCurrency,
  amount: Money,
  sign: 1 | -1 = 1,
): MoneyByCurrency {
  return { ...totals, [amount.currency]: (totals[amount.currency] ?? 0) + sign * amount.minor };
}
