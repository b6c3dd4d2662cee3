import fc from 'fast-check';
import { lnGamma } from './ln-gamma';
import { logAddExp } from './log-sum-exp';

describe('lnGamma', () => {
  it('matches factorials at integers', () => {
    let factorial = 1;
    for (let n = 1; n <= 20; n++) {
      expect(lnGamma(n)).toBeCloseTo(Math.log(factorial), 10);
      factorial *= n;
    }
  });

  it('matches known values at half-integers and small arguments', () => {
    expect(lnGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 12);
    expect(lnGamma(1.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI) / 2), 12);
    // Γ(0.1) = 9.513507698668731836…
    expect(lnGamma(0.1)).toBeCloseTo(Math.log(9.513507698668732), 12);
  });

  it('obeys the recurrence lnΓ(x+1) = lnΓ(x) + ln x', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-3, max: 1e4, noNaN: true }), (x) => {
        const lhs = lnGamma(x + 1);
        const rhs = lnGamma(x) + Math.log(x);
        expect(Math.abs(lhs - rhs)).toBeLessThan(1e-9 * Math.max(1, Math.abs(lhs)));
      }),
    );
  });

  it('rejects non-positive arguments', () => {
    expect(() => lnGamma(0)).toThrow(/x > 0/);
    expect(() => lnGamma(-1.5)).toThrow(/x > 0/);
  });
});

describe('logAddExp', () => {
  it('adds in log space without overflow', () => {
    expect(logAddExp(Math.log(2), Math.log(3))).toBeCloseTo(Math.log(5), 14);
    expect(logAddExp(1000, 1000)).toBeCloseTo(1000 + Math.log(2), 10);
    expect(logAddExp(-1000, -Infinity)).toBe(-1000);
    expect(logAddExp(-Infinity, 5)).toBe(5);
  });
});
