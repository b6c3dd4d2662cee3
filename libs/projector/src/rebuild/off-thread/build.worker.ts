import { parentPort } from 'node:worker_threads';
import { Logger } from '@nestjs/common';
import { createEventStore, type EventStore, type RecordedEvent } from '@rapport/event-store';
import { createKeyStore, EncryptingEventStore } from '@rapport/privacy';
import {
  openReadStoreAt,
  type EncodedRecord,
  type ListOptions,
  type ReadStore,
  type StoredRecord,
} from '@rapport/read-store';
import { runThisThreadInBackground } from '@rapport/threads';
import { handledBy } from '../../parking/evolve-or-park';
import type { ParkedCustomer } from '../../parking/parked-customers';
import { projectionNamed } from '../../projection-catalog';
import { compareViews } from '../compare-views';
import { ProfilePartition } from '../../profiles/profile-partition';
import { readGroupHistories, refoldGroups } from '../../profiles/refold-profiles';
import { routeBatch } from '../../profiles/route-batch';
import { evolveStep, type CustomerEvents } from '../../projector';
import type { BuildWorkerInput, BuildWorkerOutput, OffThreadStore } from './build-worker.protocol';
import { retryingOutages } from './retrying-outages';

// The thread buildOffThread and compareOffThread start: it reads the event store on a
// connection of its own and folds the events, or compares two views a page at a time; the main
// thread only reads and writes the records it is asked to.
const port = parentPort;
if (!port) throw new Error('build.worker runs as a worker thread only');

const logger = new Logger('RebuildWorker');

// Background work: below the thread serving queries, whatever the process was started at.
const background = runThisThreadInBackground();
if (!background.moved)
  logger.warn(
    `the rebuild runs at the priority of the thread serving queries: ${background.description}`,
  );

/** Events one readAll call returns: SQLite reads them on this thread, in one go. */
const READ_SLICE = 5_000;

let nextRequest = 1;
const replies = new Map<number, (input: BuildWorkerInput) => void>();

function post(output: BuildWorkerOutput, transfer: ArrayBuffer[] = []): void {
  port!.postMessage(output, transfer);
}

function ask(
  request: (id: number) => BuildWorkerOutput,
  transfer?: ArrayBuffer[],
): Promise<BuildWorkerInput> {
  const id = nextRequest++;
  return new Promise((resolve, reject) => {
    replies.set(id, (input) =>
      input.kind === 'failed' ? reject(new Error(input.message)) : resolve(input),
    );
    post(request(id), transfer);
  });
}

port.on('message', (input: BuildWorkerInput) => {
  if (input.kind === 'start') {
    build(input).then(
      (position) => post({ kind: 'end', position }),
      (error: unknown) =>
        post({ kind: 'crashed', message: error instanceof Error ? error.message : String(error) }),
    );
    return;
  }
  if (input.kind === 'compare') {
    compareOn(input).then(
      (comparison) => post({ kind: 'compared', comparison }),
      (error: unknown) =>
        post({ kind: 'crashed', message: error instanceof Error ? error.message : String(error) }),
    );
    return;
  }
  const reply = replies.get(input.request);
  replies.delete(input.request);
  reply?.(input);
});

/** The views as the main thread lists them, a page per request. */
const remoteViews: Pick<ReadStore, 'list'> = {
  list: async <T>(collection: string, options: { after?: string; limit?: number } = {}) => {
    const page = await ask((request) => ({
      kind: 'list',
      request,
      collection,
      after: options.after,
      limit: options.limit ?? 1_000,
    }));
    if (page.kind === 'encoded-page')
      return { records: page.records.map((r) => decoded<T>(r)), next: page.next };
    if (page.kind !== 'page') throw new Error(`expected a page of ${collection}, got ${page.kind}`);
    return { records: page.records as StoredRecord<T>[], next: page.next };
  },
};

/** The views listed on this thread's own connection where the store allows, else by the main thread. */
async function compareOn(input: Extract<BuildWorkerInput, { kind: 'compare' }>) {
  if (!input.direct) return compareViews(remoteViews, input.live, input.rebuilt, input.options);
  const own = openReadStoreAt(input.direct);
  try {
    const views: Pick<ReadStore, 'list'> = {
      list: <T>(collection: string, options: ListOptions) =>
        retrying(() => own.list<T>(collection, options)),
    };
    return await compareViews(views, input.live, input.rebuilt, input.options);
  } finally {
    await own.close();
  }
}

/** An outage of this thread's own connection pauses the build, as the main thread's would. */
function retrying<T>(operation: () => Promise<T>): Promise<T> {
  return retryingOutages(operation, logger, undefined);
}

async function build(start: Extract<BuildWorkerInput, { kind: 'start' }>): Promise<bigint> {
  const projection = projectionNamed(start.projection);
  if (!projection) throw new Error(`no projection is called ${JSON.stringify(start.projection)}`);
  const { store, close } = openStore(start.store);
  const own = start.direct ? openReadStoreAt(start.direct) : undefined;
  // Customers this run has written: with a generation that started empty, nobody else has.
  const written = new Set<string>();
  let position = start.after;
  try {
    // Routed as the live projector routes: by the partition as of each event's position.
    const partition = await ProfilePartition.load(store, position);
    for (;;) {
      const events = await readWindow(store, position, start.window);
      if (events.length === 0) return position;
      for (const step of routeBatch(events, partition)) {
        if (step.kind === 'events') {
          await foldRun(step.byProfile);
          continue;
        }
        const outcome = refoldGroups(
          projection,
          step.regroup,
          await readGroupHistories(store, step.regroup),
        );
        for (const record of outcome.records) written.add(record.key);
        for (const key of outcome.removed) written.delete(key);
        await ask((request) => ({ kind: 'regroup', request, outcome }));
      }
      position = events[events.length - 1].position;
      await ask((request) => ({
        kind: 'checkpoint',
        request,
        position,
        events: events.length,
      }));
      if (events.length < start.window) return position;
    }
  } finally {
    await own?.close();
    await close();
  }

  async function foldRun(byProfile: Map<string, CustomerEvents>): Promise<void> {
    const customers = [...byProfile.values()].filter((c) =>
      c.events.some((event) => handledBy(projection!, event)),
    );
    const chunks: CustomerEvents[][] = [];
    for (let i = 0; i < customers.length; i += start.customersPerRequest)
      chunks.push(customers.slice(i, i + start.customersPerRequest));
    const read = (chunk: readonly CustomerEvents[]) => {
      const keys = chunk
        .map((c) => c.customerId)
        .filter((key) => !start.startsEmpty || written.has(key));
      if (keys.length === 0) return Promise.resolve(new Map<string, StoredRecord<unknown>>());
      if (own)
        return retrying(() => own.getMany<unknown>(start.collection, keys, { forUpdate: true }));
      return ask((request) => ({ kind: 'read', request, keys })).then(toRecordMap);
    };
    // One read ahead and one write behind: the main thread's work overlaps the fold here.
    let reading = read(chunks[0] ?? []);
    let writing: Promise<unknown> = Promise.resolve();
    for (let i = 0; i < chunks.length; i += 1) {
      const stored = await reading;
      if (i + 1 < chunks.length) reading = read(chunks[i + 1]);
      const { changes, parked } = evolveStep(projection!, chunks[i], stored);
      for (const record of changes) written.add(record.key);
      await writing;
      if (changes.length || parked.length)
        writing = own
          ? writeOwn(own, start.collection, changes, parked)
          : write(changes, parked, start.encoded);
    }
    await writing;
  }
}

/**
 * Writes the records on this thread's own connection; the main thread only lists the parked
 * customers (rare), with the warning it logs for the live projector's too.
 */
async function writeOwn(
  own: ReadStore,
  collection: string,
  records: StoredRecord<unknown>[],
  parked: ParkedCustomer[],
): Promise<void> {
  if (parked.length) await ask((request) => ({ kind: 'write', request, records: [], parked }));
  if (records.length) await retrying(() => own.putMany(collection, records));
}

/**
 * Hands the records over. Encoded, each is JSON text in a buffer of its own, transferred: the
 * main thread then stores bytes it neither parses nor copies, and builds no objects for the
 * collector that serves its queries to walk (two generations of objects made its pauses long).
 */
function write(
  records: StoredRecord<unknown>[],
  parked: ParkedCustomer[],
  encoded: boolean,
): Promise<BuildWorkerInput> {
  if (!encoded) return ask((request) => ({ kind: 'write', request, records, parked }));
  const texts = records.map((record): EncodedRecord => ({
    key: record.key,
    position: record.position,
    json: UTF8_ENCODER.encode(JSON.stringify(record.value)),
  }));
  return ask(
    (request) => ({ kind: 'write-encoded', request, records: texts, parked }),
    texts.map((text) => text.json.buffer as ArrayBuffer),
  );
}

const UTF8_ENCODER = new TextEncoder();
const UTF8_DECODER = new TextDecoder();

function decoded<T>(record: EncodedRecord): StoredRecord<T> {
  return {
    key: record.key,
    position: record.position,
    value: JSON.parse(UTF8_DECODER.decode(record.json)) as T,
  };
}

/** Read-only, and with personal fields opened as the main thread's decorated store opens them. */
function openStore(settings: OffThreadStore): { store: EventStore; close(): Promise<void> } {
  const raw = createEventStore(
    { eventStore: settings.eventStore },
    { appends: false, readOnly: true },
  );
  if (settings.privacy?.encryption !== 'on') return { store: raw, close: () => raw.close() };
  const keys = createKeyStore(settings.privacy);
  return {
    store: new EncryptingEventStore(raw, keys),
    close: async () => {
      await raw.close();
      await keys.close();
    },
  };
}

async function readWindow(
  store: EventStore,
  after: bigint,
  window: number,
): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  let from = after;
  while (events.length < window) {
    const want = Math.min(READ_SLICE, window - events.length);
    const slice = await store.readAll({ after: from, maxCount: want });
    for (const event of slice) events.push(event);
    if (slice.length < want) break;
    from = slice[slice.length - 1].position;
  }
  return events;
}

function toRecordMap(input: BuildWorkerInput): Map<string, StoredRecord<unknown>> {
  const records =
    input.kind === 'records'
      ? input.records
      : input.kind === 'encoded-records'
        ? input.records.map((record) => decoded<unknown>(record))
        : [];
  return new Map(records.map((record) => [record.key, record]));
}
