import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import type { BgNbdFitResult, BgNbdSummary, BgNbdTimeUnit } from '@rapport/analytics';
import { startWorker } from '@rapport/threads';
import type { InsightsModelResult, InsightsOptions, PopulationFacts } from '../population';
import type { ModelRunner } from './model-runner';
import type { ModelJobReply, ModelJobRequest } from './model-worker.protocol';
import { populationColumnsOf, transferablesOf } from './population-columns';

interface Waiting {
  readonly worker: Worker;
  resolve(result: unknown): void;
  reject(error: Error): void;
}

/**
 * On a worker thread of its own, started at first use and kept: the event loop that serves
 * ingestion and queries only copies the input pages across. A worker that dies fails the jobs
 * it held; the next job starts a new one.
 */
export class WorkerModelRunner implements ModelRunner {
  private worker: Worker | undefined;
  private nextJob = 1;
  private readonly waiting = new Map<number, Waiting>();
  /** The thread the last job ran on. */
  lastThreadId: number | undefined;

  buildModel(
    settings: InsightsOptions,
    facts: AsyncIterable<readonly PopulationFacts[]>,
  ): Promise<InsightsModelResult> {
    // As columns of numbers, transferred: the sender neither walks nor copies the objects.
    return this.run(
      facts,
      (job) => ({ kind: 'model', job, settings }),
      (job, page) => {
        const columns = populationColumnsOf(page as readonly PopulationFacts[]);
        return {
          message: { kind: 'add-columns', job, columns },
          transfer: transferablesOf(columns),
        };
      },
    );
  }

  fit(
    unit: BgNbdTimeUnit,
    summaries: AsyncIterable<readonly BgNbdSummary[]>,
  ): Promise<BgNbdFitResult> {
    return this.run(summaries, (job) => ({ kind: 'fit', job, unit }));
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (worker) await worker.terminate();
  }

  private async run<T>(
    pages: AsyncIterable<readonly unknown[]>,
    request: (job: number) => ModelJobRequest,
    added: (
      job: number,
      items: readonly unknown[],
    ) => { message: ModelJobRequest; transfer?: ArrayBuffer[] } = (job, items) => ({
      message: { kind: 'add', job, items },
    }),
  ): Promise<T> {
    const worker = this.started();
    const job = this.nextJob++;
    const done = new Promise<T>((resolve, reject) =>
      this.waiting.set(job, { worker, resolve: resolve as (result: unknown) => void, reject }),
    );
    // Awaited below; until then a dying worker must not count as an unhandled rejection.
    done.catch(() => undefined);
    // A process with nothing else to do (the CLI) must wait for the answer.
    worker.ref();
    try {
      for await (const items of pages) {
        const { message, transfer } = added(job, items);
        worker.postMessage(message, transfer);
      }
      worker.postMessage(request(job));
    } catch (error) {
      this.settle(job);
      worker.postMessage({ kind: 'drop', job } satisfies ModelJobRequest);
      throw error;
    }
    return done;
  }

  private started(): Worker {
    if (this.worker) return this.worker;
    const worker = startWorker(join(__dirname, 'model.worker'));
    worker.unref();
    worker.on('message', (reply: ModelJobReply) => {
      const waiting = this.settle(reply.job);
      if (!waiting) return;
      if (reply.kind === 'done') {
        this.lastThreadId = reply.threadId;
        waiting.resolve(reply.result);
      } else {
        waiting.reject(new Error(reply.message));
      }
    });
    worker.on('error', (error) => this.failAll(worker, error));
    worker.on('exit', (code) =>
      this.failAll(worker, new Error(`the model worker thread stopped (exit code ${code})`)),
    );
    return (this.worker = worker);
  }

  private settle(job: number): Waiting | undefined {
    const waiting = this.waiting.get(job);
    this.waiting.delete(job);
    if (waiting && ![...this.waiting.values()].some((w) => w.worker === waiting.worker))
      waiting.worker.unref();
    return waiting;
  }

  private failAll(worker: Worker, error: Error): void {
    if (this.worker === worker) this.worker = undefined;
    for (const [job, waiting] of this.waiting) {
      if (waiting.worker !== worker) continue;
      this.settle(job);
      waiting.reject(error);
    }
  }
}
