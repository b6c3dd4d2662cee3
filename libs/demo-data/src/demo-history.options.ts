/** How a synthetic customer base behaves; the defaults give a plausible retail business. */
export interface DemoHistoryOptions {
  readonly customers: number;
  /** Months of history ending at `endAt`. */
  readonly months: number;
  readonly seed: number;
  /** Last instant of the history (ISO 8601). Explicit, so that a seed gives the same bytes. */
  readonly endAt: string;
  readonly currency?: string;
  /** BG/NBD-style dynamics, rates per day: purchase rate λ ~ Gamma(r, α); dropout p ~ Beta(a, b). */
  readonly purchaseRate?: { readonly r: number; readonly alpha: number };
  readonly dropout?: { readonly a: number; readonly b: number };
  /** Customer's typical order value ~ LogNormal(ln(medianMinor), sigma): heavy-tailed spend. */
  readonly orderValue?: { readonly medianMinor: number; readonly sigma: number };
  readonly cancellationRate?: number;
  readonly complaintRate?: number;
}

export const DEMO_DEFAULTS = {
  currency: 'EUR',
  // Mean λ = r/α ≈ one purchase every 50 days; shape < 1 spreads customers widely.
  purchaseRate: { r: 0.8, alpha: 40 },
  // Mean p = a/(a+b) ≈ 0.16 chance of leaving after each purchase.
  dropout: { a: 0.9, b: 4.5 },
  orderValue: { medianMinor: 3_500, sigma: 1.1 },
  cancellationRate: 0.06,
  complaintRate: 0.04,
} as const;
