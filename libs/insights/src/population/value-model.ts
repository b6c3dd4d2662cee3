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
  /** Says why tiers, CLV and lists leave those customers out; absent when there are none. */
  readonly note?: string;
}

/** The population part of value: the spend fit (tiers by CLV are cut later, from the rows). */
export function buildValueModel(
  facts: readonly ValuePopulationFacts[],
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
  facts: readonly ValuePopulationFacts[],
  options: Omit<ValueModelOptions, 'minCustomersForFit'>,
): CurrencyCoverage {
  const byCurrency: Record<string, number> = {};
  let unranked = 0;
  for (const f of facts) {
    if (f.revenueMinor > 0 || !f.otherCurrencies?.length) continue;
    unranked += 1;
    for (const currency of f.otherCurrencies)
      byCurrency[currency] = (byCurrency[currency] ?? 0) + 1;
  }
  const listed = Object.entries(byCurrency)
    .sort(([, x], [, y]) => y - x)
    .map(([currency, count]) => `${currency} ${count.toLocaleString('en')}`)
    .join(', ');
  return {
    reportingCurrency: options.currency,
    unrankedCustomers: unranked,
    unrankedByCurrency: byCurrency,
    ...(unranked
      ? {
          note:
            `${unranked.toLocaleString('en')} customers have no ${options.currency} revenue in the last ` +
            `${options.windowMonths} months but revenue in other currencies (${listed}): revenue is ranked ` +
            `in REPORTING_CURRENCY ${options.currency} only, so they have no tier and no CLV`,
        }
      : {}),
  };
}
