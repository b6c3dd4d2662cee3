import type { ChurnReasonCode, RiskBand, ValueTier } from '@rapport/analytics';

/**
 * What the population rules read of one customer in an insights snapshot: their value tier and
 * churn risk as of the snapshot's instant. The caller maps the snapshot's rows to these.
 */
export interface PopulationRow {
  readonly customerId: string;
  readonly valueTier: ValueTier;
  /** Trailing-window net revenue in the snapshot's currency (minor units). */
  readonly revenueMinor: number;
  readonly riskBand: RiskBand;
  readonly riskScore: number;
  readonly churnProbability: number;
  readonly valueAtRiskMinor: number;
  readonly reasonCodes: readonly ChurnReasonCode[];
}

/**
 * The population the rows come from: the instant its tiers and risks hold at (a window
 * boundary in event time), and its currency.
 */
export interface PopulationSnapshot {
  readonly asOf: string;
  readonly currency: string;
  readonly windowMonths: number;
}

/** A customer's tier and risk band as last evaluated: what a move or a turn is measured from. */
export interface CustomerStanding {
  readonly tier: ValueTier;
  readonly band: RiskBand;
  /** The snapshot instant this tier and band were first observed at (unchanged since). */
  readonly since: string;
}

/**
 * The evaluation window an instant falls in: its start, ISO 8601. Population rules evaluate the
 * population as of each window start that event time has passed and key their signals by it, so
 * the same boundary evaluated again (after a restart, or in a replay) raises the same ids.
 */
export function populationWindow(asOf: string, windowSeconds: number): string {
  const size = windowSeconds * 1_000;
  return new Date(Math.floor(Date.parse(asOf) / size) * size).toISOString();
}

/**
 * The window boundaries to evaluate next, oldest first, now that event time has reached
 * `watermark` (the latest event time read, never the wall clock). The first is the boundary at
 * or before `start` (the time of the first event in the store, the same in every replay); then
 * every boundary after the last evaluated one up to the watermark, none skipped, so a live run
 * and a replay of the same events evaluate the same instants whatever their pace. At most
 * `maxWindows` at once: a long catch-up goes on at the next call.
 */
export function populationWindowsDue(
  lastWindow: string | null,
  watermark: string | null,
  start: string | null,
  windowSeconds: number,
  maxWindows: number,
): string[] {
  if (watermark === null) return [];
  const size = windowSeconds * 1_000;
  const latest = Date.parse(populationWindow(watermark, windowSeconds));
  const first =
    lastWindow !== null
      ? Date.parse(lastWindow) + size
      : Date.parse(populationWindow(start ?? watermark, windowSeconds));
  const due: string[] = [];
  for (let at = first; at <= latest && due.length < maxWindows; at += size)
    due.push(new Date(at).toISOString());
  return due;
}

export const TIER_RANK: Readonly<Record<ValueTier, number>> = { A: 3, B: 2, C: 1, none: 0 };

export function standingOf(row: PopulationRow, asOf: string): CustomerStanding {
  return { tier: row.valueTier, band: row.riskBand, since: asOf };
}
