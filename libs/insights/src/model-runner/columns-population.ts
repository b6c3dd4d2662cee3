import type { CustomerPurchaseHistory } from '@rapport/analytics';
import type { Population, PopulationValueFacts } from '../population';
import type { PopulationColumns } from './population-columns';

/**
 * The pages that reached the model's thread, as one population read straight from their
 * columns. Rebuilding an object a customer (two arrays of instants and a spend summary each)
 * kept a million objects alive on that thread until the model was done: hundreds of
 * megabytes, and as many for its collector to mark. Here a customer's object lives for one
 * step of one walk; the instants are read from the page's column in place.
 */
export function populationOfColumns(pages: readonly PopulationColumns[]): Population {
  let count = 0;
  for (const page of pages) count += page.customerIds.length;
  const customerIds = new Array<string>(count);
  const revenueMinor = new Float64Array(count);
  let at = 0;
  for (const page of pages) {
    for (let i = 0; i < page.customerIds.length; i++) customerIds[at + i] = page.customerIds[i];
    revenueMinor.set(page.revenueMinor, at);
    at += page.customerIds.length;
  }
  return {
    customerIds,
    revenueMinor,
    histories: { [Symbol.iterator]: () => histories(pages) },
    valueFacts: { [Symbol.iterator]: () => valueFacts(pages) },
  };
}

function* histories(pages: readonly PopulationColumns[]): Generator<CustomerPurchaseHistory> {
  for (const page of pages)
    for (let i = 0; i < page.customerIds.length; i++)
      yield {
        customerId: page.customerIds[i],
        purchaseDates: instants(page.purchaseMs, page.purchaseStart, i),
        cancellationDates: instants(page.cancellationMs, page.cancellationStart, i),
      };
}

function* valueFacts(pages: readonly PopulationColumns[]): Generator<PopulationValueFacts> {
  for (const page of pages) {
    const others = new Map(page.otherCurrencies);
    for (let i = 0; i < page.customerIds.length; i++) {
      const x = page.spendX[i];
      yield {
        revenueMinor: page.revenueMinor[i],
        spend: Number.isNaN(x) ? null : { x, meanSpend: page.spendMean[i] },
        otherCurrencies: others.get(i),
      };
    }
  }
}

/**
 * Customer i's instants as a plain array: the model's functions take arrays, and a small one
 * that dies young costs the collector next to nothing.
 */
function instants(column: Float64Array, start: Uint32Array, i: number): number[] {
  const from = start[i];
  const to = start[i + 1];
  const out = new Array<number>(to - from);
  for (let k = from; k < to; k++) out[k - from] = column[k];
  return out;
}
