import { fitGammaGamma, type GammaGammaFitResult, type SpendSummary } from '@rapport/analytics';
import type { ValueModel, ValueSettings } from './customer-value';

/** What the value model needs of each customer (a part of their PopulationFacts). */
interface ValuePopulationFacts {
  readonly revenueMinor: number;
  readonly spend?: SpendSummary | null;
  readonly otherCurrencies?: readonly string[];
}

interface ValueModelOptions {
  readonly currency: string;
  readonly windowMonths: number;
  readonly minCustomersForFit: number;
}

/** Who has revenue outside the reporting currency: they are not ranked, and are counted here. */
export interface CurrencyCoverage {
  readonly reportingCurrency: string;
  /**
   * Customers without net revenue in the reporting currency in the window who have revenue in
   * other currencies, per currency (a customer with two counts in both), and in all.
   */
  readonly unrankedCustomers: number;
  readonly unrankedByCurrency: Readonly<Record<string, number>>;
  /**
   * Customers ranked on their reporting-currency revenue who also have revenue in other
   * currencies, which their tier and CLV leave out, per currency and in all. Absent in older
   * snapshots.
   */
  readonly partlyRankedCustomers?: number;
  readonly partlyRankedByCurrency?: Readonly<Record<string, number>>;
  /** Says why tiers, CLV and lists leave those customers (or that revenue) out; absent when none. */
  readonly note?: string;
}

/** The population part of value: the spend fit (tiers by CLV are cut later, from the rows). */
export function buildValueModel(
  facts: Iterable<ValuePopulationFacts>,
  options: ValueModelOptions,
  settings: ValueSettings,
): { model: ValueModel; currencies: CurrencyCoverage } {
  const repeat: SpendSummary[] = [];
  for (const f of facts)
    if (f.spend && f.spend.x > 0 && f.spend.meanSpend > 0) repeat.push(f.spend);
  const { fit, note } = spendFitIfMeaningful(repeat, options.minCustomersForFit, options.currency);
  return {
    model: {
      settings,
      spendFit: fit,
      ...(note ? { spendFitNote: note } : {}),
      predictedCutoffs: null,
    },
    currencies: currencyCoverage(facts, options),
  };
}

function spendFitIfMeaningful(
  repeat: readonly SpendSummary[],
  minCustomers: number,
  currency: string,
): { fit: GammaGammaFitResult | null; note?: string } {
  if (repeat.length < Math.max(minCustomers, 2))
    return {
      fit: null,
      note: `${repeat.length} repeat customers with spend in ${currency}; the spend model needs at least ${Math.max(minCustomers, 2)}`,
    };
  try {
    return { fit: fitGammaGamma(repeat) };
  } catch (error) {
    return { fit: null, note: `the spend fit failed: ${(error as Error).message}` };
  }
}

function currencyCoverage(
  facts: Iterable<ValuePopulationFacts>,
  options: Omit<ValueModelOptions, 'minCustomersForFit'>,
): CurrencyCoverage {
  const unranked = new CurrencyTally();
  const partly = new CurrencyTally();
  for (const f of facts) {
    if (!f.otherCurrencies?.length) continue;
    (f.revenueMinor > 0 ? partly : unranked).add(f.otherCurrencies);
  }
  const { currency, windowMonths } = options;
  const notes: string[] = [];
  if (unranked.customers)
    notes.push(
      `${unranked.customers.toLocaleString('en')} customers have no ${currency} revenue in the last ` +
        `${windowMonths} months but revenue in other currencies (${unranked.listed()}): revenue is ranked ` +
        `in REPORTING_CURRENCY ${currency} only, so they have no tier and no CLV`,
    );
  if (partly.customers)
    notes.push(
      `${partly.customers.toLocaleString('en')} customers ranked on their ${currency} revenue also have ` +
        `revenue in other currencies (${partly.listed()}), which their tier and CLV leave out`,
    );
  return {
    reportingCurrency: currency,
    unrankedCustomers: unranked.customers,
    unrankedByCurrency: unranked.byCurrency,
    partlyRankedCustomers: partly.customers,
    partlyRankedByCurrency: partly.byCurrency,
    ...(notes.length ? { note: notes.join('; ') } : {}),
  };
}

/** Customers counted once in all and once per currency they have (a customer with two in both). */
class CurrencyTally {
  customers = 0;
  readonly byCurrency: Record<string, number> = {};

  add(currencies: readonly string[]): void {
    this.customers += 1;
    for (const currency of currencies)
      this.byCurrency[currency] = (this.byCurrency[currency] ?? 0) + 1;
  }

  listed(): string {
    return Object.entries(this.byCurrency)
      .sort(([, x], [, y]) => y - x)
      .map(([currency, count]) => `${currency} ${count.toLocaleString('en')}`)
      .join(', ');
  }
}
