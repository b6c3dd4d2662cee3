import {
  computeCohortRetention,
  computeRetentionRates,
  fitBgNbd,
  paretoSummaryOfColumns,
  summarizeBgNbd,
  type BgNbdSummary,
  type CustomerPurchaseHistory,
  type SpendSummary,
} from '@rapport/analytics';
import type { InsightsModelResult, InsightsOptions, PopulationFacts } from './insights-rows';
import { buildValueModel } from './value-model';

/** What the value model reads of one customer. */
export interface PopulationValueFacts {
  readonly revenueMinor: number;
  readonly spend?: SpendSummary | null;
  readonly otherCurrencies?: readonly string[];
}

/**
 * Every customer's population facts, however they are held: the model reads them in customer
 * order, one at a time, so a source held as columns never has to make an object a customer
 * that outlives its turn. Each iterable can be walked again (the model walks several times).
 */
export interface Population {
  readonly customerIds: readonly string[];
  readonly revenueMinor: ArrayLike<number>;
  readonly histories: Iterable<CustomerPurchaseHistory>;
  readonly valueFacts: Iterable<PopulationValueFacts>;
}

/** Tier cutoffs, the BG/NBD fit and retention, recomputed from every customer's facts. */
export function buildInsightsModel(
  facts: readonly PopulationFacts[],
  options: InsightsOptions,
): InsightsModelResult {
  return buildInsightsModelOf(populationOfFacts(facts), options);
}

/** {@link buildInsightsModel} over a population however held (the model thread's: columns). */
export function buildInsightsModelOf(
  population: Population,
  options: InsightsOptions,
): InsightsModelResult {
  const tiers = paretoSummaryOfColumns(
    population.customerIds,
    population.revenueMinor,
    options.pareto,
  );
  const summaries: BgNbdSummary[] = [];
  for (const history of population.histories) {
    const summary = summarizeBgNbd(history.purchaseDates, {
      asOf: options.asOf,
      unit: options.unit,
    });
    if (summary !== null) summaries.push(summary);
  }
  const { fit, note } = fitIfMeaningful(summaries, options);
  const value = options.value
    ? buildValueModel(population.valueFacts, options, options.value)
    : undefined;
  return {
    model: {
      asOf: options.asOf,
      currency: options.currency,
      windowMonths: options.windowMonths,
      cutoffs: tiers.cutoffs,
      fit,
      horizonDays: options.horizonDays,
      ...(value ? { value: value.model } : {}),
    },
    tiers,
    ...(value ? { currencies: value.currencies } : {}),
    retention: computeRetentionRates(population.histories, options.asOf),
    cohorts: computeCohortRetention(population.histories, options.asOf),
    ...(note ? { fitNote: note } : {}),
  };
}

/** Facts held as objects (the inline runner's, the tests'), as a population. */
export function populationOfFacts(facts: readonly PopulationFacts[]): Population {
  return {
    customerIds: facts.map((f) => f.customerId),
    revenueMinor: Float64Array.from(facts, (f) => f.revenueMinor),
    histories: facts,
    valueFacts: facts,
  };
}

function fitIfMeaningful(
  summaries: readonly BgNbdSummary[],
  options: InsightsOptions,
): { fit: InsightsResultFit; note?: string } {
  if (summaries.length < options.minCustomersForFit) {
    return {
      fit: null,
      note: `${summaries.length} buyers; the model needs at least ${options.minCustomersForFit}`,
    };
  }
  if (!summaries.some((s) => s.x > 0))
    return { fit: null, note: 'no customer has bought twice yet' };
  try {
    return { fit: fitBgNbd({ unit: options.unit, summaries }) };
  } catch (error) {
    return { fit: null, note: `the fit failed: ${(error as Error).message}` };
  }
}

type InsightsResultFit = InsightsModelResult['model']['fit'];
