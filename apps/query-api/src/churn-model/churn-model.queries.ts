import { Command } from '@nestjs/cqrs';
import { Query } from '@nestjs/cqrs';
import type { BgNbdFitResult, BgNbdTimeUnit, GammaGammaFitResult } from '@rapport/analytics';
import type { ModelFit } from '@rapport/insights';

export interface ChurnModelResult {
  /** The instant the fit is as of: only purchases up to it count. */
  readonly asOf: string;
  readonly fit: BgNbdFitResult | null;
  /** Customers with at least one purchase the fit saw. */
  readonly customers: number;
  /** Why there is no fit, when there is none. */
  readonly note?: string;
  /** When the fit was made (wall clock). */
  readonly fittedAt: string;
  /** Whether this fit is now the one the platform's insights use. */
  readonly current: boolean;
  /** The spend model (p, q, γ, log-likelihood, frequency-spend correlation); null: `spendNote`. */
  readonly spendFit: GammaGammaFitResult | null;
  readonly spendNote?: string;
  /** The latest calibration/holdout check (a fit with holdoutFrom), if one was made. */
  readonly modelCheck?: ModelFit;
}

export class GetChurnModelQuery extends Query<ChurnModelResult> {
  constructor(
    /** Read-your-writes: the position the model must have been fitted past. */
    readonly minPosition?: bigint,
  ) {
    super();
  }
}

/** Refit now: as of now → recompute and save the insights; as of a past date or another unit → answer only. */
export class FitChurnModelCommand extends Command<ChurnModelResult> {
  constructor(
    readonly asOf?: string,
    readonly unit?: BgNbdTimeUnit,
    /** Start of the holdout period: fit before it, check from it up to asOf. */
    readonly holdoutFrom?: string,
  ) {
    super();
  }
}
