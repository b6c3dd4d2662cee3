/** The time unit every BG/NBD quantity (x aside) is expressed in. α scales with it. */
export type BgNbdTimeUnit = 'days' | 'weeks';

/** One customer's sufficient statistics, in the notation of Fader, Hardie & Lee (2005). */
export interface BgNbdSummary {
  /** Frequency: number of repeat purchase days (purchases on the first purchase day and
   * several purchases on one later day count once). */
  readonly x: number;
  /** Recency: time from the first to the last purchase day. 0 when x = 0. */
  readonly tx: number;
  /** Age: time from the first purchase day to `asOf`'s day. */
  readonly T: number;
}

/** Model parameters: purchase rate λ ~ Gamma(r, α), dropout p ~ Beta(a, b). */
export interface BgNbdParams {
  readonly r: number;
  readonly alpha: number;
  readonly a: number;
  readonly b: number;
}

export interface BgNbdFitResult {
  readonly params: BgNbdParams;
  readonly unit: BgNbdTimeUnit;
  /** Total log-likelihood of all customers at `params`. */
  readonly logLikelihood: number;
  readonly iterations: number;
  readonly converged: boolean;
  readonly customers: number;
  /** Distinct (x, tₓ, T) triples the likelihood was evaluated on. */
  readonly distinctTriples: number;
}

export const TIME_UNIT_DAYS: Readonly<Record<BgNbdTimeUnit, number>> = { days: 1, weeks: 7 };
