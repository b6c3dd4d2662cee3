/** Samplers driven by a uniform [0, 1) source, so simulations stay seeded. */
export type Uniform = () => number;

export function sampleStandardNormal(uniform: Uniform): number {
  // Box–Muller; 1 − u keeps the logarithm's argument in (0, 1].
  const u = 1 - uniform();
  const v = uniform();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Gamma(shape, rate) by Marsaglia & Tsang (2000), boosted for shape < 1. */
export function sampleGamma(uniform: Uniform, shape: number, rate: number): number {
  if (shape < 1) {
    return sampleGamma(uniform, shape + 1, rate) * Math.pow(1 - uniform(), 1 / shape);
  }
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = sampleStandardNormal(uniform);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - uniform();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return (d * v) / rate;
  }
}

export function sampleBeta(uniform: Uniform, a: number, b: number): number {
  const x = sampleGamma(uniform, a, 1);
  const y = sampleGamma(uniform, b, 1);
  return x / (x + y);
}

export function sampleExponential(uniform: Uniform, rate: number): number {
  return -Math.log(1 - uniform()) / rate;
}
