import type { BgNbdParams, BgNbdTimeUnit } from '../bgnbd/bg-nbd.types';
import { TIME_UNIT_DAYS } from '../bgnbd/bg-nbd.types';
import { MS_PER_DAY } from '../shared/date-input';
import { mulberry32 } from '../random/mulberry32';
import { sampleBeta, sampleExponential, sampleGamma } from '../random/random-distributions';

export interface BgNbdSimulationOptions {
  readonly params: BgNbdParams;
  /** Time unit the parameters are expressed in. */
  readonly unit: BgNbdTimeUnit;
  readonly customers: number;
  readonly seed: number;
  /** Customers are acquired uniformly between minAge and maxAge units before asOf. */
  readonly minAge: number;
  readonly maxAge: number;
  readonly asOf: string;
}

export interface SimulatedCustomer {
  readonly customerId: string;
  /** Purchase instants in epoch ms, first purchase = acquisition, in time order. */
  readonly purchases: readonly number[];
}

/**
 * Draws customers from the BG/NBD story: λ ~ Gamma(r, α), p ~ Beta(a, b); purchases form a
 * Poisson(λ) process from the acquisition purchase; after every repeat purchase the customer
 * drops out with probability p. Acquisition falls at midnight UTC so day-rounded summaries are
 * exact at the start.
 */
export function simulateBgNbdCustomers(options: BgNbdSimulationOptions): SimulatedCustomer[] {
  const uniform = mulberry32(options.seed);
  const { r, alpha, a, b } = options.params;
  const unitMs = TIME_UNIT_DAYS[options.unit] * MS_PER_DAY;
  const asOfMs = Date.parse(options.asOf);
  const customers: SimulatedCustomer[] = [];
  for (let i = 0; i < options.customers; i++) {
    const lambda = sampleGamma(uniform, r, alpha);
    const p = sampleBeta(uniform, a, b);
    const age = options.minAge + uniform() * (options.maxAge - options.minAge);
    const birthMs = Math.floor((asOfMs - age * unitMs) / MS_PER_DAY) * MS_PER_DAY;
    const horizon = (asOfMs - birthMs) / unitMs;
    const purchases = [birthMs];
    let time = 0;
    for (;;) {
      time += sampleExponential(uniform, lambda);
      if (time > horizon) break;
      purchases.push(birthMs + time * unitMs);
      // The model lets a customer drop out only right after a repeat purchase.
      if (uniform() < p) break;
    }
    customers.push({ customerId: `C-${String(i).padStart(6, '0')}`, purchases });
  }
  return customers;
}
