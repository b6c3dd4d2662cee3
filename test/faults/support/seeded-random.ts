/**
 * A small seeded generator (mulberry32) so that every kill delay and every workload of a fault
 * run can be replayed from the seed it prints. FAULT_SEED overrides the default.
 */
export class SeededRandom {
  private state: number;

  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }

  /** In [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)];
  }
}

export function faultSeed(fallback: number): number {
  const raw = process.env.FAULT_SEED;
  return raw && /^\d+$/.test(raw) ? Number(raw) : fallback;
}
