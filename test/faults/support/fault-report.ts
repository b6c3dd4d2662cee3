/**
 * Figures a fault test prints so they can be quoted: one line per scenario, prefixed, on
 * stdout (Jest's console capture is bypassed so the lines stay plain and greppable).
 */
export function report(scenario: string, figures: Record<string, unknown>): void {
  const parts = Object.entries(figures).map(([name, value]) => `${name}=${String(value)}`);
  process.stdout.write(`[faults] ${scenario}: ${parts.join(' ')}\n`);
}

export function privateRedisAvailability(installed: boolean) {
  return installed
    ? ({ available: true, via: 'private redis-server', value: true } as const)
    : ({
        available: false,
        reason: 'redis-server is not installed: the fault suite starts and kills its own',
      } as const);
}
