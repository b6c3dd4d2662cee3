import { digamma } from '../math/digamma';
import { lnGamma } from '../math/ln-gamma';
import { assertValidSummary } from './bg-nbd.summary';
import type { BgNbdParams, BgNbdSummary } from './bg-nbd.types';

// Bound once: under Jest's sandbox every `Math.x` lookup in a hot loop costs ~10× more.
const { exp, log, log1p } = Math;
const NO_REPEAT = -Infinity;

/**
 * Customers collapsed to distinct (x, tₓ, T) triples with counts, plus the distinct values
 * of x, tₓ and T. The likelihood then costs lnΓ once per distinct x and one logarithm per
 * distinct time, leaving a few multiplications and one log-add-exp per triple: this is what
 * makes fitting 100,000 customers take seconds rather than minutes.
 */
export interface GroupedSummaries {
  readonly customers: number;
  readonly triples: number;
  readonly xValues: readonly number[];
  readonly ageValues: readonly number[];
  readonly recencyValues: readonly number[];
  /** Customers per distinct x. */
  readonly xCounts: Float64Array;
  readonly xIndex: Int32Array;
  readonly ageIndex: Int32Array;
  readonly recencyIndex: Int32Array;
  readonly counts: Float64Array;
}

export function groupSummaries(summaries: readonly BgNbdSummary[]): GroupedSummaries {
  const tripleCounts = new Map<string, { summary: BgNbdSummary; count: number }>();
  for (const summary of summaries) {
    assertValidSummary(summary);
    const key = `${summary.x}|${summary.tx}|${summary.T}`;
    const entry = tripleCounts.get(key);
    if (entry) entry.count++;
    else tripleCounts.set(key, { summary, count: 1 });
  }
  const xs = indexer();
  const ages = indexer();
  const recencies = indexer();
  const size = tripleCounts.size;
  const xIndex = new Int32Array(size);
  const ageIndex = new Int32Array(size);
  const recencyIndex = new Int32Array(size);
  const counts = new Float64Array(size);
  let i = 0;
  for (const { summary, count } of tripleCounts.values()) {
    xIndex[i] = xs.indexOf(summary.x);
    ageIndex[i] = ages.indexOf(summary.T);
    recencyIndex[i] = recencies.indexOf(summary.tx);
    counts[i] = count;
    i++;
  }
  const xCounts = new Float64Array(xs.values.length);
  for (let t = 0; t < size; t++) xCounts[xIndex[t]] += counts[t];
  return {
    customers: summaries.length,
    triples: size,
    xValues: xs.values,
    ageValues: ages.values,
    recencyValues: recencies.values,
    xCounts,
    xIndex,
    ageIndex,
    recencyIndex,
    counts,
  };
}

/** Total log-likelihood over grouped customers; equal to summing per-customer terms. */
export function groupedLogLikelihood(params: BgNbdParams, grouped: GroupedSummaries): number {
  return groupedLogLikelihoodWithGradient(params, grouped).value;
}

/**
 * The total log-likelihood and its partial derivatives in r, α, a and b. Differentiating
 * eq. 6 term by term: ln A₁ and ln A₂ give digammas that depend on x only; the sum A₃ + A₄
 * splits each customer's share of the r and α slopes by the weight w = A₄ / (A₃ + A₄), the
 * posterior probability that the customer dropped out right after the last purchase.
 */
export function groupedLogLikelihoodWithGradient(
  params: BgNbdParams,
  grouped: GroupedSummaries,
): { readonly value: number; readonly gradient: BgNbdParams } {
  const { r, alpha, a, b } = params;
  const nx = grouped.xValues.length;
  const lnA12 = new Float64Array(nx);
  const lnA4Head = new Float64Array(nx);
  const rPlusX = new Float64Array(nx);
  const lnGammaR = lnGamma(r);
  const lnGammaB = lnGamma(b);
  const lnGammaAB = lnGamma(a + b);
  const lnAlpha = log(alpha);
  const rLnAlpha = r * lnAlpha;
  const lnA = log(a);
  const psiR = digamma(r);
  const psiB = digamma(b);
  const psiAB = digamma(a + b);
  // Slopes of ln A₁A₂ and ln A₄ that depend on x only, summed over each x's customers.
  let constantSlopeR = 0;
  let constantSlopeA = 0;
  let constantSlopeB = 0;
  const slopeBOfA4 = new Float64Array(nx);
  for (let k = 0; k < nx; k++) {
    const x = grouped.xValues[k];
    const customers = grouped.xCounts[k];
    lnA12[k] =
      lnGamma(r + x) -
      lnGammaR +
      rLnAlpha +
      lnGammaAB +
      lnGamma(b + x) -
      lnGammaB -
      lnGamma(a + b + x);
    lnA4Head[k] = x > 0 ? lnA - log(b + x - 1) : NO_REPEAT;
    rPlusX[k] = r + x;
    const psiABX = digamma(a + b + x);
    constantSlopeR += customers * (digamma(r + x) - psiR + lnAlpha);
    constantSlopeA += customers * (psiAB - psiABX);
    constantSlopeB += customers * (psiAB + digamma(b + x) - psiB - psiABX);
    slopeBOfA4[k] = x > 0 ? -1 / (b + x - 1) : 0;
  }
  const lnAlphaAge = logShifted(grouped.ageValues, alpha);
  const lnAlphaRecency = logShifted(grouped.recencyValues, alpha);
  const inverseAlphaAge = inverseShifted(grouped.ageValues, alpha);
  const inverseAlphaRecency = inverseShifted(grouped.recencyValues, alpha);
  const { xIndex, ageIndex, recencyIndex, counts, triples } = grouped;
  const droppedOut = new Float64Array(nx);

  let total = 0;
  let slopeR = constantSlopeR;
  let slopeAlpha = (grouped.customers * r) / alpha;
  for (let i = 0; i < triples; i++) {
    const k = xIndex[i];
    const count = counts[i];
    const age = ageIndex[i];
    const lnA3 = -rPlusX[k] * lnAlphaAge[age];
    const head = lnA4Head[k];
    if (head === NO_REPEAT) {
      total += count * (lnA12[k] + lnA3);
      slopeR -= count * lnAlphaAge[age];
      slopeAlpha -= count * rPlusX[k] * inverseAlphaAge[age];
      continue;
    }
    const recency = recencyIndex[i];
    const lnA4 = head - rPlusX[k] * lnAlphaRecency[recency];
    let ll: number;
    let w: number;
    if (lnA3 > lnA4) {
      const e = exp(lnA4 - lnA3);
      ll = lnA3 + log1p(e);
      w = e / (1 + e);
    } else {
      const e = exp(lnA3 - lnA4);
      ll = lnA4 + log1p(e);
      w = 1 / (1 + e);
    }
    total += count * (lnA12[k] + ll);
    slopeR -= count * ((1 - w) * lnAlphaAge[age] + w * lnAlphaRecency[recency]);
    slopeAlpha -=
      count * rPlusX[k] * ((1 - w) * inverseAlphaAge[age] + w * inverseAlphaRecency[recency]);
    droppedOut[k] += count * w;
  }
  let slopeA = constantSlopeA;
  let slopeB = constantSlopeB;
  for (let k = 0; k < nx; k++) {
    slopeA += droppedOut[k] / a;
    slopeB += droppedOut[k] * slopeBOfA4[k];
  }
  return { value: total, gradient: { r: slopeR, alpha: slopeAlpha, a: slopeA, b: slopeB } };
}

function indexer(): { readonly values: number[]; indexOf(value: number): number } {
  const positions = new Map<number, number>();
  const values: number[] = [];
  return {
    values,
    indexOf(value) {
      let position = positions.get(value);
      if (position === undefined) {
        position = values.length;
        positions.set(value, position);
        values.push(value);
      }
      return position;
    },
  };
}

function logShifted(values: readonly number[], shift: number): Float64Array {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = log(shift + values[i]);
  return out;
}

function inverseShifted(values: readonly number[], shift: number): Float64Array {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = 1 / (shift + values[i]);
  return out;
}
