import type { PopulationFacts } from '../population';

/**
 * A page of population facts as columns: numbers and instants (epoch ms) in typed arrays whose
 * buffers are transferred to the model's thread, not copied. Posting the same page as objects
 * makes the sending thread walk and serialise every customer's object and date strings: at a
 * million customers, seconds of the thread that serves ingestion and queries.
 * Instants travel as epoch ms: the model reads every date through toEpochMs, which gives the
 * same number for the string and for its ms, so the model is the same.
 */
export interface PopulationColumns {
  readonly customerIds: readonly string[];
  readonly revenueMinor: Float64Array;
  /** Customer i's purchases are purchaseMs[purchaseStart[i] .. purchaseStart[i + 1]). */
  readonly purchaseStart: Uint32Array;
  readonly purchaseMs: Float64Array;
  readonly cancellationStart: Uint32Array;
  readonly cancellationMs: Float64Array;
  /** NaN where the customer has no spend summary (null or absent). */
  readonly spendX: Float64Array;
  readonly spendMean: Float64Array;
  /** The few customers with revenue in other currencies: [index in the page, currencies]. */
  readonly otherCurrencies: ReadonlyArray<readonly [number, readonly string[]]>;
}

export function populationColumnsOf(facts: readonly PopulationFacts[]): PopulationColumns {
  const count = facts.length;
  let purchases = 0;
  let cancellations = 0;
  for (const f of facts) {
    purchases += f.purchaseDates.length;
    cancellations += f.cancellationDates.length;
  }
  const columns = {
    customerIds: new Array<string>(count),
    revenueMinor: new Float64Array(count),
    purchaseStart: new Uint32Array(count + 1),
    purchaseMs: new Float64Array(purchases),
    cancellationStart: new Uint32Array(count + 1),
    cancellationMs: new Float64Array(cancellations),
    spendX: new Float64Array(count),
    spendMean: new Float64Array(count),
    otherCurrencies: [] as Array<readonly [number, readonly string[]]>,
  };
  let p = 0;
  let c = 0;
  for (let i = 0; i < count; i++) {
    const f = facts[i];
    columns.customerIds[i] = f.customerId;
    columns.revenueMinor[i] = f.revenueMinor;
    columns.purchaseStart[i] = p;
    for (const at of f.purchaseDates) columns.purchaseMs[p++] = epochMs(at);
    columns.cancellationStart[i] = c;
    for (const at of f.cancellationDates) columns.cancellationMs[c++] = epochMs(at);
    columns.spendX[i] = f.spend ? f.spend.x : Number.NaN;
    columns.spendMean[i] = f.spend ? f.spend.meanSpend : Number.NaN;
    if (f.otherCurrencies?.length) columns.otherCurrencies.push([i, f.otherCurrencies]);
  }
  columns.purchaseStart[count] = p;
  columns.cancellationStart[count] = c;
  return columns;
}

/** The buffers to transfer with a page (each column owns its buffer). */
export function transferablesOf(columns: PopulationColumns): ArrayBuffer[] {
  return [
    columns.revenueMinor,
    columns.purchaseStart,
    columns.purchaseMs,
    columns.cancellationStart,
    columns.cancellationMs,
    columns.spendX,
    columns.spendMean,
  ].map((column) => column.buffer as ArrayBuffer);
}

function epochMs(at: string | number): number {
  return typeof at === 'number' ? at : Date.parse(at);
}
