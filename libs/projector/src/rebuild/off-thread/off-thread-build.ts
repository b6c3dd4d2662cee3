import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import type { ReadStore } from '@rapport/read-store';
import { startWorker } from '@rapport/threads';
import { parkedCollection } from '../../parking/parked-customers';
import { writeRefold } from '../../profiles/refold-profiles';
import type { CompareOptions, ViewComparison } from '../compare-views';
import { RebuildInterruptedError } from '../rebuild.errors';
import { retryingOutages } from './retrying-outages';
import type {
  BuildWorkerInput,
  BuildWorkerOutput,
  BuildWorkerRequest,
  OffThreadStore,
} from './build-worker.protocol';

export interface OffThreadBuildOptions {
  readonly store: OffThreadStore;
  readonly readStore: ReadStore;
  readonly projection: string;
  /** The generation's collection and its build checkpoint. */
  readonly collection: string;
  readonly checkpoint: string;
  readonly after: bigint;
  readonly startsEmpty: boolean;
  readonly window: number;
  readonly customersPerRequest?: number;
  readonly signal?: AbortSignal;
  /** After each checkpoint: events applied since the last call, and the position reached. */
  readonly onApplied: (events: number, position: bigint) => void;
}

/**
 * Customers per request, and records per page of a comparison. Each request copies its records
 * across threads on the main thread (serialised there, and deserialised there on the way
 * back), a demo customer's view being tens of kilobytes: with 250 customers a request the
 * queries during a rebuild of the demo data had a p99 of 60-95 ms a 5-s window (bench:rebuild).
 */
const CUSTOMERS_PER_REQUEST = 50;

/**
 * The worker's young generation (V8's default is 16-MB semi-spaces, 48 MB in all). The worker's
 * collections run on V8's helper threads, which every thread of the process shares and which
 * run at the main thread's priority: during a rebuild of the demo data they took 2.4-3.0 s of
 * CPU every 5 s beside the main thread (bench:rebuild). Its folding keeps a window's views
 * live, so larger semi-spaces mean far fewer scavenges, each copying about the same survivors.
 */
const WORKER_YOUNG_GENERATION_MB = 192;

/**
 * Builds a generation up to the event store's head on a worker thread (build.worker.ts): the
 * worker reads the events on its own connection and folds them; this thread only answers its
 * requests, reading and writing the records of a few hundred customers at a time in the read
 * store, and writing the build checkpoint once the records of a window are written. Resolves
 * with the position reached.
 */
export function buildOffThread(options: OffThreadBuildOptions): Promise<bigint> {
  const logger = new Logger(`Rebuild:${options.projection}`);
  let position = options.after;
  const { readStore, collection } = options;
  const retrying = <T>(operation: () => Promise<T>) =>
    retryingOutages(operation, logger, options.signal);
  return workerJob<bigint>({
    projection: options.projection,
    signal: options.signal,
    position: () => position,
    start: {
      kind: 'start',
      store: options.store,
      projection: options.projection,
      after: options.after,
      window: options.window,
      customersPerRequest: options.customersPerRequest ?? CUSTOMERS_PER_REQUEST,
      startsEmpty: options.startsEmpty,
      encoded: readStore.encoded !== undefined,
      collection,
      direct: readStore.location,
    },
    answer: async (request) => {
      switch (request.kind) {
        case 'read': {
          const encoded = readStore.encoded;
          if (encoded)
            return {
              kind: 'encoded-records',
              request: request.request,
              records: await retrying(() => encoded.getMany(collection, request.keys)),
            };
          // Shared: the records are copied once anyway, into the message.
          const records = await retrying(() =>
            readStore.getMany<unknown>(collection, request.keys, { shared: true }),
          );
          return { kind: 'records', request: request.request, records: [...records.values()] };
        }
        case 'write':
        case 'write-encoded':
          // Listed before the record is marked, as the live projector does.
          if (request.parked.length) {
            for (const customer of request.parked)
              logger.warn(
                `parked customer ${customer.customerId} in ${customer.projection}: event ` +
                  `${customer.eventType} at position ${customer.position} cannot be applied ` +
                  `(${customer.error})`,
              );
            const listed = request.parked.map((p) => ({
              key: p.customerId,
              position: BigInt(p.position),
              value: p,
            }));
            await retrying(() => readStore.putMany(parkedCollection(collection), listed));
          }
          if (request.kind === 'write-encoded') {
            const encoded = readStore.encoded;
            if (!encoded) throw new Error('the read store takes no encoded records');
            if (request.records.length)
              await retrying(() => encoded.putMany(collection, request.records));
          } else if (request.records.length)
            await retrying(() => readStore.putMany(collection, request.records));
          return { kind: 'done', request: request.request };
        case 'regroup':
          await retrying(() => writeRefold(readStore, collection, request.outcome));
          return { kind: 'done', request: request.request };
        case 'checkpoint':
          await retrying(() => readStore.putCheckpoint(options.checkpoint, request.position));
          position = request.position;
          options.onApplied(request.events, request.position);
          return { kind: 'done', request: request.request };
        case 'list':
          throw new Error('a build lists no views');
      }
    },
  });
}

export interface OffThreadCompareOptions extends CompareOptions {
  readonly readStore: ReadStore;
  readonly projection: string;
  readonly live: string;
  readonly rebuilt: string;
  readonly signal?: AbortSignal;
}

/**
 * compareViews on a worker thread: this thread lists a page of each view at a time and copies
 * it across; the deep comparison of every record (the costly part) runs there.
 */
export function compareOffThread(options: OffThreadCompareOptions): Promise<ViewComparison> {
  const logger = new Logger(`Rebuild:${options.projection}`);
  const { readStore, live, rebuilt, projection, signal, ...compare } = options;
  return workerJob<ViewComparison>({
    projection,
    signal,
    position: () => compare.rebuiltUpTo,
    start: {
      kind: 'compare',
      live,
      rebuilt,
      options: { pageSize: CUSTOMERS_PER_REQUEST, ...compare },
      encoded: readStore.encoded !== undefined,
      direct: readStore.location,
    },
    answer: async (request) => {
      if (request.kind !== 'list') throw new Error(`a comparison does not ${request.kind}`);
      const encoded = readStore.encoded;
      if (encoded) {
        const page = await retryingOutages(
          () => encoded.list(request.collection, { after: request.after, limit: request.limit }),
          logger,
          signal,
        );
        return {
          kind: 'encoded-page',
          request: request.request,
          records: [...page.records],
          next: page.next,
        };
      }
      const page = await retryingOutages(
        () =>
          readStore.list<unknown>(request.collection, {
            after: request.after,
            limit: request.limit,
            shared: true,
          }),
        logger,
        signal,
      );
      return {
        kind: 'page',
        request: request.request,
        records: [...page.records],
        next: page.next,
      };
    },
  });
}

interface WorkerJob {
  readonly projection: string;
  readonly signal?: AbortSignal;
  /** Where an interruption leaves the build (for its message). */
  readonly position: () => bigint;
  readonly start: BuildWorkerInput;
  readonly answer: (request: BuildWorkerRequest) => Promise<BuildWorkerInput>;
}

/** One job on a worker thread of its own, answered request by request, then ended. */
function workerJob<T>(job: WorkerJob): Promise<T> {
  const worker = startWorker(join(__dirname, 'build.worker'), {
    resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
  });
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const finish = (error: Error | undefined, result?: T) => {
      if (settled) return;
      settled = true;
      job.signal?.removeEventListener('abort', abort);
      // The worker holds nothing to keep: what it folded is written or is folded again next time.
      void worker.terminate();
      if (error) reject(error);
      else resolve(result as T);
    };
    const abort = () => finish(new RebuildInterruptedError(job.projection, job.position()));
    if (job.signal?.aborted) return abort();
    job.signal?.addEventListener('abort', abort);
    worker.on('error', (error) => finish(error));
    worker.on('exit', (code) =>
      finish(new Error(`the rebuild worker thread stopped (exit code ${code})`)),
    );
    worker.on('message', (output: BuildWorkerOutput) => {
      if (output.kind === 'end') return finish(undefined, output.position as T);
      if (output.kind === 'compared') return finish(undefined, output.comparison as T);
      if (output.kind === 'crashed')
        return finish(new Error(`the rebuild worker failed: ${output.message}`));
      job.answer(output).then(
        (reply) => {
          if (!settled) worker.postMessage(reply);
        },
        (error: unknown) => finish(error instanceof Error ? error : new Error(String(error))),
      );
    });
    worker.postMessage(job.start);
  });
}
