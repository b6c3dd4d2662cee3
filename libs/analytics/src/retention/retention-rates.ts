import { type DateInput, toEpochMs } from '../shared/date-input';

export interface CustomerPurchaseHistory {
  readonly customerId: string;
  readonly purchaseDates: readonly DateInput[];
  readonly cancellationDates?: readonly DateInput[];
}

export interface RetentionRates {
  /** Customers with at least one purchase on or before asOf. */
  readonly buyers: number;
  /** Of those, customers with two or more purchases (orders, not days). */
  readonly repeatBuyers: number;
  /** repeatBuyers / buyers; 0 when there are no buyers. */
  readonly repeatPurchaseRate: number;
  readonly purchases: number;
  readonly cancellations: number;
  /** cancellations / purchases (count of orders); 0 when there are no purchases. */
  readonly cancellationRate: number;
}

/** Repeat-purchase and cancellation rates over everything that happened up to asOf. */
export function computeRetentionRates(
  customers: Iterable<CustomerPurchaseHistory>,
  asOf: DateInput,
): RetentionRates {
  const asOfMs = toEpochMs(asOf);
  const upToAsOf = (dates: readonly DateInput[] | undefined): number =>
    (dates ?? []).filter((d) => toEpochMs(d) <= asOfMs).length;
  let buyers = 0;
  let repeatBuyers = 0;
  let purchases = 0;
  let cancellations = 0;
  for (const customer of customers) {
    const bought = upToAsOf(customer.purchaseDates);
    purchases += bought;
    cancellations += upToAsOf(customer.cancellationDates);
    if (bought >= 1) buyers++;
    if (bought >= 2) repeatBuyers++;
  }
  return {
    buyers,
    repeatBuyers,
    repeatPurchaseRate: buyers === 0 ? 0 : repeatBuyers / buyers,
    purchases,
    cancellations,
    cancellationRate: purchases === 0 ? 0 : cancellations / purchases,
  };
}
