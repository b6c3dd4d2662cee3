import { assignValueTier, paretoSummaryOfColumns, type ValueTier } from '@rapport/analytics';
import type { InsightsModel } from './customer-insights';
import type { InsightsRow, TierReport } from './insights-rows';
import type { InsightsRows } from './insights-row-columns';

/**
 * Tiers by predicted value (CLV), beside the tiers by past revenue: the Pareto split of the
 * customers' CLVs (those with a CLV; the rest are 'none'). Gives the model with their cutoffs
 * (so one customer's read places them without the rows) and sets each row's predicted tier.
 * The rows are the refresh's own, not yet shared: set in place rather than copied, which at a
 * million customers spares a second set of rows.
 */
export function withPredictedTiers(
  rows: readonly InsightsRow[],
  model: InsightsModel,
): { model: InsightsModel; predictedTiers: TierReport } | null {
  if (!model.value) return null;
  // Columns, not an object a customer: a million rows would make a million of them twice.
  const ids: string[] = [];
  const clv: number[] = [];
  for (const row of rows)
    if (row.clvMinor !== undefined && row.clvMinor !== null) {
      ids.push(row.customerId);
      clv.push(row.clvMinor);
    }
  const predictedTiers = paretoSummaryOfColumns(ids, clv);
  const cutoffs = predictedTiers.cutoffs;
  for (const row of rows) {
    const tier: ValueTier =
      row.clvMinor === undefined || row.clvMinor === null
        ? 'none'
        : assignValueTier({ customerId: row.customerId, revenueMinor: row.clvMinor }, cutoffs);
    (row as { predictedTier?: ValueTier }).predictedTier = tier;
  }
  return {
    model: { ...model, value: { ...model.value, predictedCutoffs: cutoffs } },
    predictedTiers,
  };
}

/** {@link withPredictedTiers} of rows held as columns, set in place as there. */
export function withPredictedTiersOfColumns(
  rows: InsightsRows,
  model: InsightsModel,
): { model: InsightsModel; predictedTiers: TierReport } | null {
  if (!model.value) return null;
  const ids: string[] = [];
  const clv: number[] = [];
  for (let i = 0; i < rows.length; i++) {
    const clvMinor = rows.clvMinorAt(i);
    if (clvMinor !== undefined && clvMinor !== null) {
      ids.push(rows.customerIdAt(i));
      clv.push(clvMinor);
    }
  }
  const predictedTiers = paretoSummaryOfColumns(ids, clv);
  const cutoffs = predictedTiers.cutoffs;
  for (let i = 0; i < rows.length; i++) {
    const clvMinor = rows.clvMinorAt(i);
    const tier: ValueTier =
      clvMinor === undefined || clvMinor === null
        ? 'none'
        : assignValueTier({ customerId: rows.customerIdAt(i), revenueMinor: clvMinor }, cutoffs);
    rows.setPredictedTier(i, tier);
  }
  return {
    model: { ...model, value: { ...model.value, predictedCutoffs: cutoffs } },
    predictedTiers,
  };
}
