import { minimizeBfgs } from './bfgs';

const rosenbrock = ([x, y]: readonly number[]) => ({
  value: (1 - x) ** 2 + 100 * (y - x * x) ** 2,
  gradient: [-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)],
});

describe('minimizeBfgs', () => {
  it('finds the minimum of the Rosenbrock function in tens of iterations', () => {
    const result = minimizeBfgs(rosenbrock, [-1.2, 1]);
    expect(result.converged).toBe(true);
    expect(result.point[0]).toBeCloseTo(1, 5);
    expect(result.point[1]).toBeCloseTo(1, 5);
    expect(result.value).toBeLessThan(1e-10);
    expect(result.iterations).toBeLessThan(100);
  });

  it('minimises an ill-scaled quadratic in four dimensions', () => {
    const target = [1, -2, 3, 0.5];
    const weights = [1, 100, 0.01, 10];
    const bowl = (p: readonly number[]) => ({
      value: p.reduce((sum, v, i) => sum + weights[i] * (v - target[i]) ** 2, 0),
      gradient: p.map((v, i) => 2 * weights[i] * (v - target[i])),
    });
    const result = minimizeBfgs(bowl, [0, 0, 0, 0]);
    expect(result.converged).toBe(true);
    result.point.forEach((v, i) => expect(v).toBeCloseTo(target[i], 5));
  });

  it('stops at the iteration bound and says it did not converge', () => {
    const result = minimizeBfgs(rosenbrock, [-1.2, 1], { maxIterations: 5 });
    expect(result.iterations).toBe(5);
    expect(result.converged).toBe(false);
  });

  it('backs away from non-finite objective values', () => {
    // Undefined left of 0; the unit first step from 1 along −∇ lands there.
    const result = minimizeBfgs(
      ([x]) =>
        x < 0
          ? { value: NaN, gradient: [NaN] }
          : { value: (x - 0.2) ** 2, gradient: [2 * (x - 0.2)] },
      [3],
      { maxStep: 10 },
    );
    expect(result.point[0]).toBeCloseTo(0.2, 6);
  });

  it('caps the length of a step', () => {
    let longest = 0;
    let previous = 0;
    minimizeBfgs(
      ([x]) => {
        longest = Math.max(longest, Math.abs(x - previous));
        previous = x;
        return { value: (x - 100) ** 2, gradient: [2 * (x - 100)] };
      },
      [0],
      { maxStep: 3, maxIterations: 1 },
    );
    expect(longest).toBeLessThanOrEqual(3);
  });

  it('refuses a start where the objective is not finite', () => {
    expect(() => minimizeBfgs(() => ({ value: Infinity, gradient: [0] }), [0])).toThrow(
      /finite objective/,
    );
  });
});
