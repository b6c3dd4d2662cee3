import {
  assessChurnRisk,
  assignValueTier,
  bgNbdExpectedPurchases,
  bgNbdProbabilityAlive,
  classifyLifecycle,
  evaluateChurnSignals,
  summarizeBgNbd,
  TIME_UNIT_DAYS,
  trailingNetRevenue,
  type ChurnFacts,
  type DateInput,
  type OrderRevenue,
} from '@rapport/analytics';
import { memberKey, type CancellationFact, type CustomerView } from '@rapport/projections';
import type { CustomerInsights, InsightsModel } from './customer-insights';
import type { DatedView } from './dated-view';
import { customerValueFactsOf, customerValueOf, type CustomerValueFacts } from './customer-value';

/** What a customer's insights are computed from: read from their view once, as of `asOf`. */
export interface CustomerInsightInputs {
  readonly customerId: string;
  /** Net revenue in the model's currency over its trailing window. */
  readonly revenueMinor: number;
  readonly churnFacts: ViewChurnFacts;
  /** What CLV and cost to serve are computed from (absent: no value part in the insights). */
  readonly value?: CustomerValueFacts;
}

/**
 * Churn facts as a view gives them (instants as ISO strings), or as kept between refreshes
 * (epoch ms, see CompactFacts); purchases oldest first.
 */
export interface ViewChurnFacts extends ChurnFacts {
  readonly purchaseDates: readonly DateInput[];
  readonly cancellationDates: readonly DateInput[];
}

export function insightInputsOf(
  view: DatedView,
  model: Pick<InsightsModel, 'currency' | 'windowMonths'>,
  asOf: string,
): CustomerInsightInputs {
  return {
    customerId: view.customerId,
    revenueMinor: trailingRevenueOf(view, model, asOf),
    churnFacts: churnFactsOf(view, asOf),
    value: customerValueFactsOf(view, {
      asOf,
      currency: model.currency,
      windowMonths: model.windowMonths,
    }),
  };
}

/**
 * A customer's value tier, churn risk with reasons, and lifecycle segment as of `asOf`,
 * from their view and the population model. Pure: the same inputs give the same answer.
 */
export function deriveCustomerInsights(
  view: CustomerView,
  model: InsightsModel,
  asOf: string,
): CustomerInsights {
  return insightsFrom(insightInputsOf(view, model, asOf), model, asOf);
}

/** {@link deriveCustomerInsights} from inputs read before (`asOf` must be theirs). */
export function insightsFrom(
  inputs: CustomerInsightInputs,
  model: InsightsModel,
  asOf: string,
): CustomerInsights {
  const { customerId, revenueMinor, churnFacts } = inputs;
  const valueTier = assignValueTier({ customerId, revenueMinor }, model.cutoffs);
  const purchaseDates = churnFacts.purchaseDates;
  const summary = model.fit ? summarizeBgNbd(purchaseDates, { asOf, unit: model.fit.unit }) : null;
  const probabilityAlive =
    model.fit && summary ? bgNbdProbabilityAlive(model.fit.params, summary) : null;
  const expectedPurchases =
    model.fit && summary
      ? {
          horizonDays: model.horizonDays,
          value: bgNbdExpectedPurchases(
            model.fit.params,
            summary,
            model.horizonDays / TIME_UNIT_DAYS[model.fit.unit],
          ),
        }
      : null;
  const reasons = evaluateChurnSignals(churnFacts, { asOf });
  const risk = assessChurnRisk({ probabilityAlive, reasons, trailingRevenueMinor: revenueMinor });
  const segment = classifyLifecycle(
    {
      firstPurchaseAt: purchaseDates[0] ?? null,
      lastPurchaseAt: purchaseDates[purchaseDates.length - 1] ?? null,
      tier: valueTier,
      riskBand: risk.band,
      probabilityAlive,
    },
    asOf,
  );
  return {
    asOf,
    trailingRevenue: {
      minor: revenueMinor,
      currency: model.currency,
      windowMonths: model.windowMonths,
    },
    valueTier,
    probabilityAlive,
    expectedPurchases,
    churn: {
      score: risk.score,
      band: risk.band,
      churnProbability: risk.churnProbability,
      valueAtRiskMinor: risk.valueAtRiskMinor,
      reasons: risk.reasons,
    },
    segment,
    value:
      model.value && inputs.value
        ? customerValueOf({
            customerId,
            facts: inputs.value,
            summary,
            probabilityAlive,
            bgNbd: model.fit,
            value: model.value,
            currency: model.currency,
            windowMonths: model.windowMonths,
            asOf,
          })
        : null,
  };
}

/**
 * Net revenue in the model's currency of the orders placed in the trailing window, each less
 * what of it was cancelled by asOf; other currencies are not ranked.
 */
export function trailingRevenueOf(
  view: DatedView,
  model: Pick<InsightsModel, 'currency' | 'windowMonths'>,
  asOf: string,
): number {
  const cancellationsOf = new Map<string, CancellationFact[]>();
  for (const cancellation of view.cancellations) {
    const order = memberKey(cancellation.orderId, cancellation);
    const ofOrder = cancellationsOf.get(order);
    if (ofOrder) ofOrder.push(cancellation);
    else cancellationsOf.set(order, [cancellation]);
  }
  const orders: OrderRevenue[] = [];
  for (const order of view.orders)
    if (order.amount.currency === model.currency)
      orders.push({
        purchasedAt: order.purchasedAt,
        amount: order.amount,
        cancellations: cancellationsOf.get(memberKey(order.orderId, order)) ?? [],
      });
  return trailingNetRevenue(orders, {
    asOf,
    windowMonths: model.windowMonths,
    currency: model.currency,
  });
}

/** Purchase instants on or before asOf, oldest first. */
export function purchasesUpTo(view: DatedView, asOf: string): string[] {
  const limit = Date.parse(asOf);
  return view.orders
    .map((o) => o.purchasedAt)
    .filter((at) => Date.parse(at) <= limit)
    .sort();
}

export function churnFactsOf(view: DatedView, asOf: string): ViewChurnFacts {
  const limit = Date.parse(asOf);
  const upTo = (at: string) => Date.parse(at) <= limit;
  const touchpointDates: string[] = [];
  for (const [day, count] of view.activityByDay) {
    // Midday stands for the day: engagement windows are whole days.
    const at = `${day}T12:00:00.000Z`;
    if (upTo(`${day}T00:00:00.000Z`)) for (let i = 0; i < count; i++) touchpointDates.push(at);
  }
  return {
    purchaseDates: purchasesUpTo(view, asOf),
    cancellationDates: view.cancellations.map((c) => c.occurredAt).filter(upTo),
    complaints: view.complaintHistory
      .filter((c) => upTo(c.raisedAt))
      .map((c) => ({
        complaintId: c.complaintId,
        raisedAt: c.raisedAt,
        ...(c.resolvedAt && upTo(c.resolvedAt) ? { resolvedAt: c.resolvedAt } : {}),
      })),
    touchpointDates,
  };
}
