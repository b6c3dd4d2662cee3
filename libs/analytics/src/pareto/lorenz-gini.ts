import type { LorenzPoint } from './pareto-tiers.types';

/**
 * Lorenz curve of non-negative values, poorest first, with at most `maxPoints` points
 * (always (0,0) and (1,1)). With more customers than points it samples the exact curve at
 * evenly spaced customer counts, so every point lies on the true curve.
 * An all-zero (or empty) population has no concentration: the equality line.
 */
export function lorenzCurve(valuesAscending: ArrayLike<number>, maxPoints: number): LorenzPoint[] {
  const n = valuesAscending.length;
  const cumulative = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) cumulative[i + 1] = cumulative[i] + valuesAscending[i];
  const total = cumulative[n];
  if (n === 0 || total <= 0) {
    return [
      { customerShare: 0, revenueShare: 0 },
      { customerShare: 1, revenueShare: 1 },
    ];
  }
  const points = Math.min(n + 1, Math.max(2, Math.floor(maxPoints)));
  const curve: LorenzPoint[] = [];
  for (let j = 0; j < points; j++) {
    const k = j === points - 1 ? n : Math.floor((j * n) / (points - 1));
    curve.push({ customerShare: k / n, revenueShare: cumulative[k] / total });
  }
  return curve;
}

/**
 * Gini coefficient of non-negative values sorted ascending, exact over all of them:
 *   G = Σᵢ (2i − n − 1)·xᵢ / (n · Σ x),  i = 1..n
 * In [0, (n−1)/n] ⊂ [0, 1). 0 for an empty or all-zero population.
 */
export function giniCoefficient(valuesAscending: ArrayLike<number>): number {
  const n = valuesAscending.length;
  let total = 0;
  let weighted = 0;
  for (let i = 0; i < n; i++) {
    total += valuesAscending[i];
    weighted += (2 * (i + 1) - n - 1) * valuesAscending[i];
  }
  if (n === 0 || total <= 0) return 0;
  return Math.min(Math.max(weighted / (n * total), 0), (n - 1) / n);
}
