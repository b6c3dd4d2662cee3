import {
  assignValueTier,
  costToServe,
  customerLifetimeValue,
  gammaGammaExpectedSpend,
  gammaGammaPopulationMeanSpend,
  predictedNetValue,
  subtractUtcMonths,
  summarizeNoPurchase,
  summarizeSpend,
  TIME_UNIT_DAYS,
  type BgNbdFitResult,
  type BgNbdSummary,
  type ClvOptions,
  type CostPart,
  type GammaGammaFitResult,
  type ServiceUsage,
  type SpendOrder,
  type SpendSummary,
  type TierCutoffs,
  type UnitCosts,
  type ValueTier,
} from '@rapport/analytics';
import { memberKey } from '@rapport/projections';
import type { DatedView } from './dated-view';

/** How value and cost to serve are counted: configured, validated at start. */
export interface ValueSettings {
  readonly clv: ClvOptions;
  readonly unitCosts: UnitCosts;
}

export const DEFAULT_VALUE_SETTINGS: ValueSettings = {
  clv: { horizonMonths: 12, monthlyDiscountRate: 0.01, marginShare: 1 },
  unitCosts: { callMinuteMinor: 0, complaintMinor: 0, cancellationMinor: 0, emailSentMinor: 0 },
};

/** What a customer's value and cost to serve are computed from, read from their view once. */
export interface CustomerValueFacts {
  /** Spend per repeat transaction day in the reporting currency; null without a purchase in it. */
  readonly spend: SpendSummary | null;
  /** Service taken in the trailing window. */
  readonly usage: ServiceUsage;
  /** False for a view stored before it kept calls and emails per day (they count as none). */
  readonly usageByDayKnown: boolean;
  /** Currencies other than the reporting one the customer has net revenue in, all time. */
  readonly otherCurrencies: readonly string[];
  /** Their first touchpoint of any kind: where a customer who never bought is predicted from. */
  readonly firstSeenAt: string | null;
}

export function customerValueFactsOf(
  view: DatedView,
  options: { readonly asOf: string; readonly currency: string; readonly windowMonths: number },
): CustomerValueFacts {
  const limit = Date.parse(options.asOf);
  const from = subtractUtcMonths(limit, options.windowMonths);
  const inWindow = (at: string) => {
    const ms = Date.parse(at);
    return ms > from && ms <= limit;
  };
  const cancelledByOrder = new Map<string, number>();
  for (const c of view.cancellations)
    if (Date.parse(c.occurredAt) <= limit) {
      const order = memberKey(c.orderId, c);
      cancelledByOrder.set(order, (cancelledByOrder.get(order) ?? 0) + c.amount.minor);
    }
  const orders: SpendOrder[] = [];
  for (const order of view.orders)
    if (order.amount.currency === options.currency)
      orders.push({
        purchasedAt: order.purchasedAt,
        netMinor: Math.max(
          0,
          order.amount.minor - (cancelledByOrder.get(memberKey(order.orderId, order)) ?? 0),
        ),
      });
  let callSeconds = 0;
  let emailsSent = 0;
  for (const [day, seconds, emails] of view.serviceByDay ?? [])
    if (inWindow(`${day}T12:00:00.000Z`)) {
      callSeconds += seconds;
      emailsSent += emails;
    }
  let complaints = 0;
  for (const c of view.complaintHistory) if (inWindow(c.raisedAt)) complaints += 1;
  let cancellations = 0;
  for (const c of view.cancellations) if (inWindow(c.occurredAt)) cancellations += 1;
  const otherCurrencies: string[] = [];
  for (const [currency, minor] of Object.entries(view.netRevenue))
    if (currency !== options.currency && minor > 0) otherCurrencies.push(currency);
  return {
    spend: summarizeSpend(orders, options.asOf),
    usage: { callSeconds, complaints, cancellations, emailsSent },
    usageByDayKnown: view.serviceByDay !== undefined,
    otherCurrencies: otherCurrencies.length ? otherCurrencies.sort() : NO_CURRENCIES,
    firstSeenAt: view.firstSeenAt === '' ? null : view.firstSeenAt,
  };
}

const NO_CURRENCIES: readonly string[] = Object.freeze([]);
const NO_PARTS: readonly CostPart[] = Object.freeze([]);

/** The population-wide part of value: the spend fit, the settings, tiers by predicted value. */
export interface ValueModel {
  readonly settings: ValueSettings;
  /** Gamma-Gamma on repeat customers' spend; null with too few repeat customers. */
  readonly spendFit: GammaGammaFitResult | null;
  /** Why there is no spend fit, when there is none. */
  readonly spendFitNote?: string;
  /** Cutoffs of the Pareto tiers by CLV (predicted value), beside those by past revenue. */
  readonly predictedCutoffs: TierCutoffs | null;
}

/** A customer's predicted value and cost to serve, with the figures behind them. */
export interface CustomerValue {
  /** Expected discounted margin over the horizon; null when it cannot be predicted (`note`). */
  readonly clvMinor: number | null;
  /**
   * What the CLV rests on: the customer's own purchases, or, for a customer who has not bought,
   * the model's prediction for one without a repeat purchase since first seen (`note` says so).
   */
  readonly clvBasis: ClvBasis | null;
  readonly expectedTransactions: number | null;
  readonly expectedSpendMinor: number | null;
  readonly horizonMonths: number;
  /** Tier by CLV among all customers ('none' without a positive CLV). */
  readonly predictedTier: ValueTier;
  readonly costToServe: {
    /** What serving them cost in the trailing window. */
    readonly trailingMinor: number;
    readonly parts: readonly CostPart[];
    /** What serving them is expected to cost over the horizon. */
    readonly predictedMinor: number;
  };
  /** CLV less the predicted cost to serve; null without a CLV. */
  readonly netValueMinor: number | null;
  /** Why there is no CLV, or how it was predicted for a customer who has not bought. */
  readonly note?: string;
}

export type ClvBasis = 'purchases' | 'no-purchase-yet';

/**
 * CLV (BG/NBD expected transactions × Gamma-Gamma expected spend × margin, discounted) and cost
 * to serve of one customer. A customer who has not bought at all is predicted as BG/NBD reads
 * one without a repeat purchase since they were first seen, at the population's mean spend per
 * transaction (see {@link noPurchaseClv}); their cost to serve counts all the same. Without the
 * fits, or with purchases only in other currencies than the reporting one, there is no CLV, and
 * `note` says why.
 */
export function customerValueOf(input: {
  readonly customerId: string;
  readonly facts: CustomerValueFacts;
  readonly summary: BgNbdSummary | null;
  readonly probabilityAlive: number | null;
  readonly bgNbd: BgNbdFitResult | null;
  readonly value: ValueModel;
  readonly currency: string;
  readonly windowMonths: number;
  readonly asOf: string;
}): CustomerValue {
  const { facts, summary, bgNbd, value } = input;
  const trailing = costToServe(facts.usage, value.settings.unitCosts);
  let clvMinor: number | null = null;
  let clvBasis: ClvBasis | null = null;
  let expectedTransactions: number | null = null;
  let expectedSpendMinor: number | null = null;
  let note: string | undefined;
  if (!bgNbd) note = 'no BG/NBD fit yet';
  else if (!value.spendFit) note = `no spend model (${value.spendFitNote ?? 'not fitted'})`;
  else if (!summary) {
    const predicted = noPurchaseClv(bgNbd, value.spendFit, facts.firstSeenAt, input);
    note = predicted.note;
    if (predicted.clv) {
      clvMinor = predicted.clv.valueMinor;
      clvBasis = 'no-purchase-yet';
      expectedTransactions = predicted.clv.expectedTransactions;
      expectedSpendMinor = predicted.clv.expectedSpendMinor;
    }
  } else if (!facts.spend) note = `no purchase in ${input.currency}`;
  else {
    expectedSpendMinor = gammaGammaExpectedSpend(value.spendFit.params, facts.spend);
    if (expectedSpendMinor === null) note = 'the spend model has no finite mean (q ≤ 1)';
    else {
      const clv = customerLifetimeValue(bgNbd, summary, expectedSpendMinor, value.settings.clv);
      clvMinor = clv.valueMinor;
      clvBasis = 'purchases';
      expectedTransactions = clv.expectedTransactions;
    }
  }
  const net = predictedNetValue({
    clvMinor: clvMinor ?? 0,
    trailingCost: trailing,
    windowMonths: input.windowMonths,
    probabilityAlive: input.probabilityAlive,
    options: value.settings.clv,
  });
  return {
    clvMinor,
    clvBasis,
    expectedTransactions,
    expectedSpendMinor: expectedSpendMinor === null ? null : Math.round(expectedSpendMinor),
    horizonMonths: value.settings.clv.horizonMonths,
    predictedTier:
      clvMinor !== null && value.predictedCutoffs
        ? assignValueTier(
            { customerId: input.customerId, revenueMinor: clvMinor },
            value.predictedCutoffs,
          )
        : 'none',
    costToServe: {
      trailingMinor: trailing.totalMinor,
      // Most customers cost nothing: one shared empty list rather than one each.
      parts: trailing.parts.length ? trailing.parts : NO_PARTS,
      predictedMinor: net.predictedCostMinor,
    },
    netValueMinor: clvMinor === null ? null : net.netValueMinor,
    ...(note ? { note } : {}),
  };
}

/**
 * The CLV of a customer who has not bought as of asOf. BG/NBD counts transactions after a first
 * purchase and has no model of the first one; the nearest prediction it makes is for a customer
 * without a repeat purchase (x = 0) over the time since they were first seen, which is what they
 * are read as. P(alive) is then 1 (the model drops customers only after a purchase) and the
 * expected rate falls with the length of the silence. With no spend of their own, Gamma-Gamma
 * gives the population mean per transaction, γp/(q − 1).
 */
function noPurchaseClv(
  bgNbd: BgNbdFitResult,
  spendFit: GammaGammaFitResult,
  firstSeenAt: string | null,
  input: { readonly asOf: string; readonly currency: string; readonly value: ValueModel },
): { clv?: ReturnType<typeof customerLifetimeValue>; note: string } {
  const silence =
    firstSeenAt === null
      ? null
      : summarizeNoPurchase(firstSeenAt, { asOf: input.asOf, unit: bgNbd.unit });
  if (!silence) return { note: 'no purchase yet, and not seen as of this instant' };
  const meanSpend = gammaGammaPopulationMeanSpend(spendFit.params);
  if (meanSpend === null)
    return { note: 'no purchase yet, and the spend model has no finite mean (q ≤ 1)' };
  const clv = customerLifetimeValue(bgNbd, silence, meanSpend, input.value.settings.clv);
  const days = Math.round(silence.T * TIME_UNIT_DAYS[bgNbd.unit]);
  return {
    clv,
    note:
      `no purchase yet: predicted as a customer without a repeat purchase in the ${days} days ` +
      `since first seen (BG/NBD x = 0), ${clv.expectedTransactions.toFixed(2)} transactions in ` +
      `${input.value.settings.clv.horizonMonths} months at the population's mean spend of ` +
      `${Math.round(meanSpend)} ${input.currency} minor units (Gamma-Gamma γp/(q − 1))`,
  };
}
