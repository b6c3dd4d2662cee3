import { once } from 'node:events';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { Logger } from '@nestjs/common';
import { startWorker } from '@rapport/threads';
import { EventStoreUnavailableError } from '../event-store.errors';
import type { CallResult, SerializedCall } from './sqlite.serialized-appends';
import type { SqliteWriter } from './sqlite.writer';

export interface WriterThreadData {
  readonly path: string;
  readonly busyTimeoutMs: number;
}

/** About 250 events: a transaction's fixed cost (commit, fsync, answer) is small beside them. */
const WORTH_A_TRANSACTION = 1_000;

export type WriterThreadRequest =
  | { readonly kind: 'write'; readonly calls: readonly SerializedCall[] }
  | { readonly kind: 'close' };

/**
 * Runs the store's transactions on a worker thread with its own connection, so that SQLite's
 * work (inserts, fsync at commit, waiting out another process's lock) never blocks the event
 * loop: Kafka ingest decodes and decides the next batches while the last ones are written, and
 * heartbeats and HTTP requests are answered meanwhile. The calls that arrive while the thread
 * is writing share its next transaction (see `held` for those that find it idle). The thread
 * answers in order, so each call is judged after the ones before it. A thread that dies fails
 * the writes in flight as an outage (they may or may not have committed: a retry is an
 * idempotent repeat) and the next write starts a new thread.
 */
export class SqliteWriterThread implements SqliteWriter {
  private readonly logger = new Logger(SqliteWriterThread.name);
  private worker: Worker | undefined;
  /**
   * A call that finds the thread idle is held to the end of the turn, with the calls made
   * after it in the same turn, unless they hold enough events to be worth a transaction of
   * their own: HTTP ingest's one-event calls would otherwise each start one (1.5 calls a
   * transaction under the platform load test, against 3.8 held), while a Kafka batch's call
   * is posted at once, so the thread starts on it while the next batches are decided. While
   * the thread is busy, calls are posted at once and wait in its port for the next transaction.
   */
  private held: SerializedCall[] = [];
  /** The held calls' size, in SerializedCall slots (about four an event). */
  private heldSlots = 0;
  /** Calls handed over and not answered yet, oldest first: the thread answers in order. */
  private readonly inFlight: {
    readonly resolve: (result: CallResult) => void;
    readonly reject: (e: Error) => void;
  }[] = [];

  constructor(private readonly data: WriterThreadData) {
    // Started now, not at the first append, which would otherwise wait for the thread to load.
    this.start();
  }

  write(call: SerializedCall): Promise<CallResult> {
    const worker = this.worker ?? this.start();
    return new Promise((resolve, reject) => {
      const idle = this.inFlight.length === 0;
      this.inFlight.push({ resolve, reject });
      // Held open only while a write is in flight: an idle store must not keep the process up.
      worker.ref();
      if (!idle && this.held.length === 0) {
        worker.postMessage({ kind: 'write', calls: [call] } satisfies WriterThreadRequest);
        return;
      }
      this.held.push(call);
      this.heldSlots += call.requests.length;
      if (this.heldSlots >= WORTH_A_TRANSACTION) this.postHeld();
      else if (this.held.length === 1) setImmediate(() => this.postHeld());
    });
  }

  /**
   * The calls held for the end of the turn, in order, in one message: the thread writes them
   * together. (One message each would let a thread that wakes between two start without the
   * second.)
   */
  private postHeld(): void {
    const held = this.held;
    this.held = [];
    this.heldSlots = 0;
    const worker = this.worker;
    if (!worker || held.length === 0) return; // a dead thread's exit failed these calls already
    worker.postMessage({ kind: 'write', calls: held } satisfies WriterThreadRequest);
  }

  async close(): Promise<void> {
    this.postHeld();
    const worker = this.worker;
    this.worker = undefined;
    if (!worker) return;
    worker.ref();
    const exited = once(worker, 'exit');
    worker.postMessage({ kind: 'close' } satisfies WriterThreadRequest);
    await exited;
  }

  private start(): Worker {
    const worker = spawnWriter(this.data);
    let error: unknown;
    // One answer for the calls written together: their results, in the order posted.
    worker.on('message', (results: CallResult[]) => {
      for (const result of results) this.inFlight.shift()?.resolve(result);
      // Not while closing: then the thread must be waited for until it has ended.
      if (this.inFlight.length === 0 && this.worker === worker) worker.unref();
    });
    worker.on('error', (e) => (error = e));
    worker.on('exit', (code) => {
      // close() lets go of the thread before it asks it to end; anything else is a failure.
      const failed = this.worker === worker;
      const stopped = new EventStoreUnavailableError(
        `SQLite event store: the writer thread stopped (exit code ${code})`,
        { cause: error },
      );
      if (failed) {
        this.worker = undefined;
        this.held = []; // failed below with the rest in flight
        this.heldSlots = 0;
        this.logger.error(
          `${stopped.message}: ${error instanceof Error ? error.message : 'no error reported'}; ` +
            `${this.inFlight.length} writes in flight fail as an outage, the next write starts a new thread`,
        );
      }
      for (const call of this.inFlight.splice(0)) call.reject(stopped);
    });
    worker.unref();
    this.worker = worker;
    return worker;
  }
}

function spawnWriter(workerData: WriterThreadData): Worker {
  return startWorker(join(__dirname, 'sqlite.writer-thread.worker'), { workerData });
}
