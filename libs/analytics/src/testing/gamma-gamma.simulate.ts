import type { GammaGammaParams } from '../gamma-gamma/gamma-gamma.types';
import { mulberry32 } from '../random/mulberry32';
import { sampleGamma } from '../random/random-distributions';

export interface SimulatedSpender {
  readonly x: number;
  readonly meanSpend: number;
  /** The customer's true mean transaction value, p/ν. */
  readonly trueMeanSpend: number;
}

/**
 * Draws repeat customers from the Gamma-Gamma story: ν ~ Gamma(q, γ), each of x transactions
 * z ~ Gamma(p, ν); x uniform in [1, maxX].
 */
export function simulateGammaGammaCustomers(options: {
  readonly params: GammaGammaParams;
  readonly customers: number;
  readonly maxX: number;
  readonly seed: number;
}): SimulatedSpender[] {
  const uniform = mulberry32(options.seed);
  const { p, q, gamma } = options.params;
  const out: SimulatedSpender[] = [];
  for (let i = 0; i < options.customers; i++) {
    const nu = sampleGamma(uniform, q, gamma);
    const x = 1 + Math.floor(uniform() * options.maxX);
    let total = 0;
    for (let k = 0; k < x; k++) total += sampleGamma(uniform, p, nu);
    out.push({ x, meanSpend: total / x, trueMeanSpend: p / nu });
  }
  return out;
}
