import type {
  BgNbdTimeUnit,
  ChurnReasonCode,
  DateInput,
  CostPart,
  SpendSummary,
  CohortRetentionTable,
  LifecycleSegment,
  ParetoOptions,
  ParetoReport,
  RetentionRates,
  RiskBand,
  ValueTier,
} from '@rapport/analytics';
import type { Channel } from '@rapport/domain';
import { staleMarkOf } from '@rapport/projections';
import type { InsightsModel } from './customer-insights';
import type { DatedView } from './dated-view';
import {
  insightInputsOf,
  insightsFrom,
  type CustomerInsightInputs,
} from './derive-customer-insights';
import { sharedList } from './shared-lists';
import type { CurrencyCoverage } from './value-model';
import type { CustomerValueFacts, ValueSettings } from './customer-value';

export interface InsightsOptions {
  readonly asOf: string;
  readonly currency: string;
  readonly windowMonths: number;
  readonly unit: BgNbdTimeUnit;
  readonly horizonDays: number;
  readonly pareto?: ParetoOptions;
  /** Fewer buyers than this, or no repeat buyer at all: no BG/NBD fit (it would mean nothing). */
  readonly minCustomersForFit: number;
  /** CLV and cost settings; absent: insights without a value part. */
  readonly value?: ValueSettings;
}

/** The little the population model needs from each customer (first pass over all views). */
export interface PopulationFacts {
  readonly customerId: string;
  readonly revenueMinor: number;
  /** Instants as ISO strings or epoch ms (as they travel to the model's thread). */
  readonly purchaseDates: readonly DateInput[];
  readonly cancellationDates: readonly DateInput[];
  /** Spend per repeat transaction day in the reporting currency (the spend model's input). */
  readonly spend?: SpendSummary | null;
  /** Currencies other than the reporting one the customer has revenue in. */
  readonly otherCurrencies?: readonly string[];
}

export type TierReport = Omit<ParetoReport, 'assignments'>;

export interface InsightsModelResult {
  readonly model: InsightsModel;
  readonly tiers: TierReport;
  readonly retention: RetentionRates;
  readonly cohorts: CohortRetentionTable;
  /** Why there is no fit, when there is none. */
  readonly fitNote?: string;
  /** Who has revenue outside the reporting currency, and so is not ranked. */
  readonly currencies?: CurrencyCoverage;
}

/** One line per customer: what the lists (by tier, at risk, segment) filter and sort on. */
export interface InsightsRow {
  readonly customerId: string;
  readonly revenueMinor: number;
  readonly valueTier: ValueTier;
  readonly riskScore: number;
  readonly riskBand: RiskBand;
  readonly churnProbability: number;
  readonly valueAtRiskMinor: number;
  readonly probabilityAlive: number | null;
  readonly segment: LifecycleSegment;
  readonly reasonCodes: readonly ChurnReasonCode[];
  readonly firstSeenAt: string;
  /** The customer's own latest step as of the row's asOf (see lastSeenAsOf); null if none. */
  readonly lastSeenAt: string | null;
  readonly channels: readonly Channel[];
  /** CLV (null: not predictable), tier by it, cost to serve, net value; absent in older snapshots. */
  readonly clvMinor?: number | null;
  /** Present only for a customer who has not bought: their CLV is the model's no-purchase prediction. */
  readonly clvBasis?: 'no-purchase-yet';
  readonly predictedTier?: ValueTier;
  readonly costToServeMinor?: number;
  readonly predictedCostMinor?: number;
  readonly netValueMinor?: number | null;
  readonly costParts?: readonly CostPart[];
}

/**
 * Everything a refresh needs from one customer's view, read once: the population model is
 * built from these, then each customer's row, without reading the views a second time.
 */
export interface CustomerFacts {
  readonly inputs: CustomerInsightInputs;
  readonly firstSeenAt: string;
  readonly lastSeenAt: string | null;
  readonly channels: readonly Channel[];
}

/**
 * Whether the customer existed as of `asOf`: their first touchpoint of any kind is at or before
 * it. Results as of a past date count only these (a tier report as of June must not hold a
 * customer first seen in July, in tier none).
 */
export function knownAsOf(view: DatedView, asOf: string): boolean {
  return view.firstSeenAt !== '' && Date.parse(view.firstSeenAt) <= Date.parse(asOf);
}

export function customerFactsOf(
  view: DatedView,
  options: Pick<InsightsOptions, 'asOf' | 'currency' | 'windowMonths'>,
): CustomerFacts {
  return {
    inputs: insightInputsOf(view, options, options.asOf),
    firstSeenAt: view.firstSeenAt,
    lastSeenAt: lastSeenAsOf(view, options.asOf),
    channels: view.channelsUsed,
  };
}

/**
 * When the customer last took a step of their own, as of `asOf`. The view keeps the latest to
 * the millisecond; when that is after asOf, the view's activity by day tells the last day
 * before it with a step of theirs, given as that day's start (to the day, not the instant).
 */
export function lastSeenAsOf(view: DatedView, asOf: string): string | null {
  const limit = Date.parse(asOf);
  if (view.lastSeenAt === null || Date.parse(view.lastSeenAt) <= limit) return view.lastSeenAt;
  for (let i = view.activityByDay.length - 1; i >= 0; i--) {
    const dayStart = `${view.activityByDay[i][0]}T00:00:00.000Z`;
    if (Date.parse(dayStart) <= limit) return dayStart;
  }
  return null;
}

/** A customer left out of the population-wide results, and why. */
export interface ExcludedCustomer {
  readonly customerId: string;
  readonly reason: string;
}

export type CustomerFactsOutcome =
  | { readonly facts: CustomerFacts; readonly excluded?: undefined }
  | { readonly excluded: ExcludedCustomer; readonly facts?: undefined };

/**
 * A customer's facts, or why they cannot join the population: a view the projector marked
 * stale (it would be wrong), facts that cannot be derived from it, or revenue that is no longer
 * a safe integer of minor units (past 2^53). One customer must never fail everyone's insights.
 */
export function customerFactsOrExclusion(
  view: DatedView,
  options: Pick<InsightsOptions, 'asOf' | 'currency' | 'windowMonths'>,
): CustomerFactsOutcome {
  const excluded = (reason: string) => ({ excluded: { customerId: view.customerId, reason } });
  const stale = staleMarkOf(view);
  if (stale)
    return excluded(
      `parked: event ${stale.eventType} at position ${stale.position} could not be applied (${stale.error})`,
    );
  let facts: CustomerFacts;
  try {
    facts = customerFactsOf(view, options);
  } catch (error) {
    return excluded(`facts cannot be derived: ${(error as Error).message}`);
  }
  const revenue = facts.inputs.revenueMinor;
  if (!Number.isSafeInteger(revenue))
    return excluded(
      `trailing revenue ${revenue} ${options.currency} is not a safe integer of minor units`,
    );
  return { facts };
}

export function populationFactsOf(customer: CustomerFacts): PopulationFacts {
  const { customerId, revenueMinor, churnFacts, value } = customer.inputs;
  return {
    customerId,
    revenueMinor,
    purchaseDates: churnFacts.purchaseDates,
    cancellationDates: churnFacts.cancellationDates,
    ...(value ? valueFactsForPopulation(value) : {}),
  };
}

function valueFactsForPopulation(
  value: CustomerValueFacts,
): Pick<PopulationFacts, 'spend' | 'otherCurrencies'> {
  return { spend: value.spend, otherCurrencies: value.otherCurrencies };
}

/** A customer's row as of the model's `asOf` (the facts must be read as of it too). */
export function insightsRowOf(customer: CustomerFacts, model: InsightsModel): InsightsRow {
  const insights = insightsFrom(customer.inputs, model, model.asOf);
  return {
    customerId: customer.inputs.customerId,
    revenueMinor: insights.trailingRevenue.minor,
    valueTier: insights.valueTier,
    riskScore: insights.churn.score,
    riskBand: insights.churn.band,
    churnProbability: insights.churn.churnProbability,
    valueAtRiskMinor: insights.churn.valueAtRiskMinor,
    probabilityAlive: insights.probabilityAlive,
    segment: insights.segment.segment,
    reasonCodes: sharedList(insights.churn.reasons.map((r) => r.code)),
    firstSeenAt: customer.firstSeenAt,
    lastSeenAt: customer.lastSeenAt,
    channels: sharedList(customer.channels),
    ...(insights.value
      ? {
          clvMinor: insights.value.clvMinor,
          ...(insights.value.clvBasis === 'no-purchase-yet'
            ? { clvBasis: 'no-purchase-yet' as const }
            : {}),
          predictedTier: insights.value.predictedTier,
          costToServeMinor: insights.value.costToServe.trailingMinor,
          predictedCostMinor: insights.value.costToServe.predictedMinor,
          netValueMinor: insights.value.netValueMinor,
          costParts: insights.value.costToServe.parts,
        }
      : {}),
  };
}

/** A row read back from a stored snapshot (parsed JSON), its lists shared as computed ones are. */
export function compactInsightsRow(row: InsightsRow): InsightsRow {
  return { ...row, reasonCodes: sharedList(row.reasonCodes), channels: sharedList(row.channels) };
}
