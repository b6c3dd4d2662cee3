import { setImmediate as nextTurn } from 'node:timers/promises';
import {
  computeCohortRetention,
  computeRetentionRates,
  type CohortRetentionTable,
  type CustomerPurchaseHistory,
  type RetentionRates,
} from '@rapport/analytics';
import {
  customerFactsOrExclusion,
  knownAsOf,
  type DatedView,
  type InsightsOptions,
} from '../population';

const PAGE = 1_000;

/** Retention as of a date, and the projector position of the views it was computed from. */
export interface RetentionAsOf {
  readonly asOf: string;
  readonly position: string;
  readonly retention: RetentionRates;
  readonly cohorts: CohortRetentionTable;
}

/**
 * The retention rates and cohort table of the as-of snapshot (buildInsightsModel's), from the
 * same customers: those known as of the date and not left out (parked, facts that cannot be
 * derived, revenue past a safe integer). Rows and model fits play no part in them, so none is
 * computed. A page at a time, yielding to the event loop between pages.
 */
export async function retentionOf(
  views: readonly DatedView[],
  settings: InsightsOptions,
  position: bigint,
): Promise<RetentionAsOf> {
  const { asOf } = settings;
  const histories: CustomerPurchaseHistory[] = [];
  for (let from = 0; from < views.length; from += PAGE) {
    for (const view of views.slice(from, from + PAGE)) {
      if (!knownAsOf(view, asOf)) continue;
      const outcome = customerFactsOrExclusion(view, settings);
      if (outcome.excluded) continue;
      const { customerId, churnFacts } = outcome.facts.inputs;
      histories.push({
        customerId,
        purchaseDates: churnFacts.purchaseDates,
        cancellationDates: churnFacts.cancellationDates,
      });
    }
    await nextTurn();
  }
  return {
    asOf,
    position: position.toString(),
    retention: computeRetentionRates(histories, asOf),
    cohorts: computeCohortRetention(histories, asOf),
  };
}
