/**
 * What the platform's runtime did during a run, from its own /metrics (prom-client's default
 * metrics): the longest event-loop stall and the time spent in garbage collection by kind.
 * A tail latency is a stall somewhere; these say whether it was the collector's.
 */
export interface RuntimeCounters {
  readonly gcSeconds: ReadonlyMap<string, number>;
  readonly gcCount: ReadonlyMap<string, number>;
  readonly loopMaxSeconds: number;
  /** Records the in-memory read store holds as objects and as text; undefined for Redis. */
  readonly held: { readonly objects: number; readonly text: number } | undefined;
}

const GC = /^rapport_nodejs_gc_duration_seconds_(sum|count)\{kind="(\w+)"\} (\S+)$/;
const LOOP_MAX = /^rapport_nodejs_eventloop_lag_max_seconds (\S+)$/;
const HELD = /^rapport_read_store_records\{form="(objects|text)"\} (\S+)$/;

/**
 * Reads the counters. prom-client resets its event-loop histogram at each scrape, so the
 * maximum read after a run is the longest stall since the scrape before it.
 */
export async function runtimeCounters(
  origin: string,
  headers: Record<string, string>,
): Promise<RuntimeCounters> {
  const text = await (await fetch(`${origin}/metrics`, { headers })).text();
  const gcSeconds = new Map<string, number>();
  const gcCount = new Map<string, number>();
  const held = new Map<string, number>();
  let loopMaxSeconds = NaN;
  for (const line of text.split('\n')) {
    const gc = GC.exec(line);
    if (gc) (gc[1] === 'sum' ? gcSeconds : gcCount).set(gc[2], Number(gc[3]));
    const loop = LOOP_MAX.exec(line);
    if (loop) loopMaxSeconds = Number(loop[1]);
    const form = HELD.exec(line);
    if (form) held.set(form[1], Number(form[2]));
  }
  return {
    gcSeconds,
    gcCount,
    loopMaxSeconds,
    held: held.has('objects')
      ? { objects: held.get('objects')!, text: held.get('text') ?? 0 }
      : undefined,
  };
}

/** `loop max 31 ms; GC minor 140× 0.71 s, major 1× 0.02 s, incremental 96× 0.22 s` */
export function describeRun(before: RuntimeCounters, after: RuntimeCounters): string {
  const kinds = [...after.gcSeconds.keys()].filter(
    (kind) => (after.gcCount.get(kind) ?? 0) > (before.gcCount.get(kind) ?? 0),
  );
  const gc = kinds.map((kind) => {
    const count = (after.gcCount.get(kind) ?? 0) - (before.gcCount.get(kind) ?? 0);
    const seconds = (after.gcSeconds.get(kind) ?? 0) - (before.gcSeconds.get(kind) ?? 0);
    return `${kind} ${count}× ${seconds.toFixed(2)} s`;
  });
  return `loop max ${Math.round(after.loopMaxSeconds * 1000)} ms; GC ${gc.join(', ') || 'none'}`;
}
