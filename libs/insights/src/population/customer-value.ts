import {
  assignValueTier,
  costToServe,
  customerLifetimeValue,
  gammaGammaExpectedSpend,
  predictedNetValue,
  subtractUtcMonths,
  summarizeSpend,
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
import type { CustomerView } from '@rapport/projections';

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
}

export function customerValueFactsOf(
  view: CustomerView,
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
    if (Date.parse(c.occurredAt) <= limit)
      cancelledByOrder.set(c.orderId, (cancelledByOrder.get(c.orderId) ?? 0) + c.amount.minor);
  const orders: SpendOrder[] = [];
  for (const order of view.orders)
    if (order.amount.currency === options.currency)
      orders.push({
        purchasedAt: order.purchasedAt,
        netMinor: Math.max(0, order.amount.minor - (cancelledByOrder.get(order.orderId) ?? 0)),
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
  readonly note?: string;
}

/**
 * CLV (BG/NBD expected transactions × Gamma-Gamma expected spend × margin, discounted) and cost
 * to serve of one customer. Without a purchase in the reporting currency, or without the fits,
 * there is no CLV, and `note` says why.
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
}): CustomerValue {
  const { facts, summary, bgNbd, value } = input;
  const trailing = costToServe(facts.usage, value.settings.unitCosts);
  let clvMinor: number | null = null;
  let expectedTransactions: number | null = null;
  let expectedSpendMinor: number | null = null;
  let note: string | undefined;
  if (!bgNbd) note = 'no BG/NBD fit yet';
  else if (!value.spendFit) note = `no spend model (${value.spendFitNote ?? 'not fitted'})`;
  else if (!summary) note = 'no purchase yet';
  else if (!facts.spend) note = `no purchase in ${input.currency}`;
  else {
    expectedSpendMinor = gammaGammaExpectedSpend(value.spendFit.params, facts.spend);
    if (expectedSpendMinor === null) note = 'the spend model has no finite mean (q ≤ 1)';
    else {
      const clv = customerLifetimeValue(bgNbd, summary, expectedSpendMinor, value.settings.clv);
      clvMinor = clv.valueMinor;
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
