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

/** The snapshot the rows come from: the instant its tiers and risks hold at, and its currency. */
export interface PopulationSnapshot {
  readonly asOf: string;
  /** Projector position the views were at when the snapshot read them (decimal). */
  readonly position: string;
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
 * The evaluation window an instant falls in: its start, ISO 8601. Population rules evaluate one
 * snapshot per window and key their signals by it, so a second snapshot of the window (or the
 * same one seen again after a restart) can never raise a second signal with another id.
 */
export function populationWindow(asOf: string, windowSeconds: number): string {
  const size = windowSeconds * 1_000;
  return new Date(Math.floor(Date.parse(asOf) / size) * size).toISOString();
}

export const TIER_RANK: Readonly<Record<ValueTier, number>> = { A: 3, B: 2, C: 1, none: 0 };

export function standingOf(row: PopulationRow, asOf: string): CustomerStanding {
  return { tier: row.valueTier, band: row.riskBand, since: asOf };
}
