import { minimizeNelderMead } from './nelder-mead';

describe('minimizeNelderMead', () => {
  it('finds the minimum of the Rosenbrock function', () => {
    const rosenbrock = ([x, y]: readonly number[]): number => (1 - x) ** 2 + 100 * (y - x * x) ** 2;
    const result = minimizeNelderMead(rosenbrock, [-1.2, 1], { maxIterations: 5000 });
    expect(result.converged).toBe(true);
    expect(result.point[0]).toBeCloseTo(1, 4);
    expect(result.point[1]).toBeCloseTo(1, 4);
    expect(result.value).toBeLessThan(1e-8);
  });

  it('minimises a shifted quadratic in four dimensions', () => {
    const target = [1, -2, 3, 0.5];
    const bowl = (p: readonly number[]): number =>
      p.reduce((sum, v, i) => sum + (i + 1) * (v - target[i]) ** 2, 0);
    const result = minimizeNelderMead(bowl, [0, 0, 0, 0]);
    expect(result.converged).toBe(true);
    result.point.forEach((v, i) => expect(v).toBeCloseTo(target[i], 3));
  });

  it('stops at the iteration bound and says it did not converge', () => {
    const result = minimizeNelderMead(
      ([x, y]) => (1 - x) ** 2 + 100 * (y - x * x) ** 2,
      [-1.2, 1],
      {
        maxIterations: 5,
      },
    );
    expect(result.iterations).toBe(5);
    expect(result.converged).toBe(false);
  });

  it('backs away from non-finite objective values', () => {
    const result = minimizeNelderMead(([x]) => (x < 0 ? NaN : (x - 2) ** 2), [1]);
    expect(result.point[0]).toBeCloseTo(2, 4);
  });
});
