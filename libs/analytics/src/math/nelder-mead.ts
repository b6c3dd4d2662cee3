export interface NelderMeadOptions {
  readonly maxIterations?: number;
  /** Converged when both the spread of objective values and the simplex diameter fall below. */
  readonly functionTolerance?: number;
  readonly pointTolerance?: number;
  /** Edge length of the initial simplex along each axis. */
  readonly initialStep?: number;
}

export interface NelderMeadResult {
  readonly point: readonly number[];
  readonly value: number;
  readonly iterations: number;
  readonly evaluations: number;
  readonly converged: boolean;
}

interface Vertex {
  readonly point: number[];
  readonly value: number;
}

/**
 * Unconstrained minimisation by the Nelder–Mead simplex method (standard coefficients:
 * reflection 1, expansion 2, contraction ½, shrink ½). Deterministic: no random restarts.
 * A non-finite objective value counts as +∞ so the simplex backs away from it.
 */
export function minimizeNelderMead(
  objective: (point: readonly number[]) => number,
  start: readonly number[],
  options: NelderMeadOptions = {},
): NelderMeadResult {
  const maxIterations = options.maxIterations ?? 2000;
  const fTol = options.functionTolerance ?? 1e-10;
  const xTol = options.pointTolerance ?? 1e-8;
  const step = options.initialStep ?? 0.5;
  const n = start.length;
  let evaluations = 0;
  const evaluate = (point: number[]): Vertex => {
    evaluations++;
    const value = objective(point);
    return { point, value: Number.isFinite(value) ? value : Infinity };
  };

  let simplex: Vertex[] = [evaluate([...start])];
  for (let i = 0; i < n; i++) {
    const point = [...start];
    point[i] += step;
    simplex.push(evaluate(point));
  }

  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations) {
    simplex.sort((p, q) => p.value - q.value);
    if (hasConverged(simplex, fTol, xTol)) {
      converged = true;
      break;
    }
    iterations++;
    const best = simplex[0];
    const worst = simplex[n];
    const secondWorst = simplex[n - 1];
    const centroid = new Array<number>(n).fill(0);
    for (let v = 0; v < n; v++) {
      for (let i = 0; i < n; i++) centroid[i] += simplex[v].point[i] / n;
    }
    const along = (factor: number): number[] =>
      centroid.map((c, i) => c + factor * (worst.point[i] - c));

    const reflected = evaluate(along(-1));
    if (reflected.value < best.value) {
      const expanded = evaluate(along(-2));
      simplex[n] = expanded.value < reflected.value ? expanded : reflected;
      continue;
    }
    if (reflected.value < secondWorst.value) {
      simplex[n] = reflected;
      continue;
    }
    const outside = reflected.value < worst.value;
    const contracted = evaluate(along(outside ? -0.5 : 0.5));
    if (contracted.value < (outside ? reflected.value : worst.value)) {
      simplex[n] = contracted;
      continue;
    }
    simplex = simplex.map((vertex, index) =>
      index === 0
        ? vertex
        : evaluate(vertex.point.map((x, i) => best.point[i] + 0.5 * (x - best.point[i]))),
    );
  }
  simplex.sort((p, q) => p.value - q.value);
  return {
    point: simplex[0].point,
    value: simplex[0].value,
    iterations,
    evaluations,
    converged,
  };
}

function hasConverged(sorted: readonly Vertex[], fTol: number, xTol: number): boolean {
  const best = sorted[0];
  const fSpread = sorted[sorted.length - 1].value - best.value;
  if (!(fSpread <= fTol * (1 + Math.abs(best.value)))) return false;
  for (const vertex of sorted) {
    for (let i = 0; i < best.point.length; i++) {
      if (Math.abs(vertex.point[i] - best.point[i]) > xTol * (1 + Math.abs(best.point[i]))) {
        return false;
      }
    }
  }
  return true;
}
