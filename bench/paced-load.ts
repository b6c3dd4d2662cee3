/**
 * Open-loop load at an even rate: request i is due at start + i/rate whether or not earlier
 * ones have answered, and its latency counts from when it was due (as wrk2 measures), so a
 * slow answer delays nobody's clock and queueing shows in the figures instead of hiding.
 * autocannon's fixed rate is per connection and per second: each connection sends its share
 * back to back at the top of every second, which measures bursts of 50 concurrent requests.
 */
import { Agent, request } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';

export interface PacedLoadOptions {
  readonly origin: string;
  readonly path: () => string;
  readonly headers: Record<string, string>;
  readonly rate: number;
  readonly seconds: number;
  /** Sockets kept open; a request waits for one when all are busy (that wait counts too). */
  readonly connections: number;
}

export interface PacedLoadResult {
  readonly sent: number;
  readonly answered: number;
  readonly errors: number;
  readonly perSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  /** The load generator's own longest event-loop stall: requests due in it are sent late. */
  readonly generatorStallMs: number;
}

const TICK_MS = 1;

export async function pacedLoad(options: PacedLoadOptions): Promise<PacedLoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections });
  const stalls = monitorEventLoopDelay({ resolution: 1 });
  stalls.enable();
  const total = Math.round(options.rate * options.seconds);
  const latencies: number[] = [];
  let errors = 0;
  const pending: Promise<void>[] = [];
  const start = performance.now();
  const send = (due: number) =>
    new Promise<void>((resolve) => {
      const done = (ok: boolean) => {
        if (ok) latencies.push(performance.now() - due);
        else errors += 1;
        resolve();
      };
      const req = request(
        `${options.origin}${options.path()}`,
        { agent, headers: options.headers },
        (res) => {
          res.resume();
          res.on('end', () => done(res.statusCode === 200));
          res.on('error', () => done(false));
        },
      );
      req.on('error', () => done(false));
      req.end();
    });
  let sent = 0;
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const dueNow = Math.min(
        total,
        Math.floor(((performance.now() - start) / 1000) * options.rate),
      );
      for (; sent < dueNow; sent++) pending.push(send(start + (sent / options.rate) * 1000));
      if (sent >= total) {
        clearInterval(timer);
        resolve();
      }
    }, TICK_MS);
  });
  await Promise.all(pending);
  const elapsed = (performance.now() - start) / 1000;
  stalls.disable();
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  return {
    sent,
    answered: latencies.length,
    errors,
    perSecond: latencies.length / elapsed,
    p50Ms: at(0.5),
    p99Ms: at(0.99),
    maxMs: latencies[latencies.length - 1] ?? NaN,
    generatorStallMs: stalls.max / 1e6,
  };
}
