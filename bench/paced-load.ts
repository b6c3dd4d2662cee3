/**
 * Open-loop load at an even rate: request i is due at start + i/rate whether or not earlier
 * ones have answered, and its latency counts from when it was due (as wrk2 measures), so a
 * slow answer delays nobody's clock and queueing shows in the figures instead of hiding.
 * autocannon's fixed rate is per connection and per second: each connection sends its share
 * back to back at the top of every second, which measures bursts of 50 concurrent requests.
 *
 * Requests go over plain keep-alive sockets, written as ready-made text, and only the status
 * line and Content-Length of an answer are read. On a 2-core machine the load generator takes
 * CPU from the server it measures: node:http's client cost enough per request that its own
 * stalls showed in the figures (a bare Fastify server answering a constant measured p99 4.7-22
 * ms through it at 2,000 req/s, 2.9-3.1 ms this way).
 */
import { connect, type Socket } from 'node:net';
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
const HEADERS_END = Buffer.from('\r\n\r\n');

/** One keep-alive socket with at most one request in flight. */
interface Connection {
  socket: Socket;
  /** When the request in flight was due; undefined when idle. */
  due: number | undefined;
  received: Buffer | undefined;
}

export async function pacedLoad(options: PacedLoadOptions): Promise<PacedLoadResult> {
  const { hostname, port, host } = new URL(options.origin);
  const headerLines = Object.entries({ host, ...options.headers })
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');
  const total = Math.round(options.rate * options.seconds);
  const latencies = new Float64Array(total);
  let answered = 0;
  let errors = 0;
  const idle: Connection[] = [];
  /** Due times of requests waiting for a socket, oldest first. */
  const queued: number[] = [];
  let allAnswered: () => void = () => {};
  let gone: (error: Error) => void = () => {};
  const finished = new Promise<void>((resolve, reject) => {
    allAnswered = resolve;
    gone = reject;
  });

  const send = (connection: Connection, due: number) => {
    connection.due = due;
    connection.socket.write(`GET ${options.path()} HTTP/1.1\r\n${headerLines}\r\n`);
  };
  const settle = (connection: Connection, ok: boolean) => {
    if (ok) latencies[answered++] = performance.now() - connection.due!;
    else errors += 1;
    connection.due = undefined;
    if (answered + errors === total) allAnswered();
  };
  const release = (connection: Connection) => {
    const due = queued.shift();
    if (due === undefined) idle.push(connection);
    else send(connection, due);
  };
  const received = (connection: Connection, chunk: Buffer) => {
    const data = connection.received ? Buffer.concat([connection.received, chunk]) : chunk;
    connection.received = data;
    const headersEnd = data.indexOf(HEADERS_END);
    if (headersEnd < 0) return;
    const head = data.toString('latin1', 0, headersEnd);
    const length = /\r\ncontent-length: *(\d+)/i.exec(head);
    if (!length) throw new Error(`paced load reads answers with a Content-Length only: ${head}`);
    if (data.length < headersEnd + 4 + Number(length[1])) return;
    connection.received = undefined;
    settle(connection, head.startsWith('HTTP/1.1 200 '));
    release(connection);
  };
  const open = () =>
    new Promise<void>((resolve, reject) => {
      const connection: Connection = {
        socket: connect(Number(port), hostname),
        due: undefined,
        received: undefined,
      };
      connection.socket.setNoDelay(true);
      connection.socket.on('data', (chunk: Buffer) => received(connection, chunk));
      connection.socket.once('connect', () => {
        if (answered + errors === total) connection.socket.destroy();
        else release(connection);
        resolve();
      });
      connection.socket.once('error', reject);
      // A socket the server closed: its request in flight failed; a fresh one takes its place.
      connection.socket.once('close', () => {
        const index = idle.indexOf(connection);
        if (index >= 0) idle.splice(index, 1);
        if (connection.due !== undefined) settle(connection, false);
        if (answered + errors < total)
          open().catch((error: Error) =>
            gone(new Error(`the server closed a socket and refused a new one: ${error.message}`)),
          );
      });
    });

  await Promise.all(Array.from({ length: options.connections }, open));
  const stalls = monitorEventLoopDelay({ resolution: 1 });
  stalls.enable();
  let sent = 0;
  const start = performance.now();
  const timer = setInterval(() => {
    const dueNow = Math.min(total, Math.floor(((performance.now() - start) / 1000) * options.rate));
    for (; sent < dueNow; sent++) {
      const due = start + (sent / options.rate) * 1000;
      // Oldest idle socket first, so that every socket stays in use and none times out.
      const connection = idle.shift();
      if (connection) send(connection, due);
      else queued.push(due);
    }
    if (sent >= total) clearInterval(timer);
  }, TICK_MS);
  await finished.finally(() => clearInterval(timer));
  const elapsed = (performance.now() - start) / 1000;
  stalls.disable();
  for (const connection of idle.splice(0)) connection.socket.destroy();
  const sorted = latencies.subarray(0, answered).sort();
  const at = (q: number) => sorted[Math.min(answered - 1, Math.floor(q * answered))] ?? NaN;
  return {
    sent,
    answered,
    errors,
    perSecond: answered / elapsed,
    p50Ms: at(0.5),
    p99Ms: at(0.99),
    maxMs: sorted[answered - 1] ?? NaN,
    generatorStallMs: stalls.max / 1e6,
  };
}
