/**
 * Spend model parameters (Fader, Hardie & Lee 2005, "RFM and CLV", and Fader & Hardie 2013,
 * "The Gamma-Gamma Model of Monetary Value"): a transaction's value z ~ Gamma(p, ν), and
 * across customers ν ~ Gamma(q, γ). Amounts are in minor units of one currency.
 */
export interface GammaGammaParams {
  readonly p: number;
  readonly q: number;
  readonly gamma: number;
}

/** One repeat customer's spend: x repeat transaction days and their mean value z̄ (minor units). */
export interface SpendSummary {
  readonly x: number;
  readonly meanSpend: number;
}

export interface GammaGammaFitResult {
  readonly params: GammaGammaParams;
  readonly logLikelihood: number;
  readonly iterations: number;
  readonly converged: boolean;
  /** Repeat customers the model was fitted on. */
  readonly customers: number;
  /**
   * Pearson correlation of frequency x and mean spend z̄ over those customers. The model
   * assumes spend is independent of frequency; near 0 supports it, far from 0 says the
   * expected spends (and so CLV) are biased.
   */
  readonly frequencySpendCorrelation: number;
  /** Population mean spend per transaction, γp/(q−1); null when q ≤ 1 (no finite mean). */
  readonly meanSpend: number | null;
}
