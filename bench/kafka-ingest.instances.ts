/**
 * The ingest write path as the service runs it, and `--instances N` of it: N processes, each
 * one member of a consumer group with its own SQLite connection to one database file, as one
 * would scale ingest across the cores of a machine. A child process is this file run with
 * `--instance <json>`; it reports each batch to the bench over IPC.
 */
import { CachingKeyStore, EncryptingEventStore, SqliteKeyStore } from '@rapport/privacy';
import { fork, type ChildProcess } from 'node:child_process';
import { Logger } from '@nestjs/common';
import type { KafkaConfig } from '@rapport/config';
import {
  SqliteEventStore,
  type EventStore,
  type SqliteEventStoreOptions,
} from '@rapport/event-store';
import { KafkaBatchConsumer } from '@rapport/messaging';
import { openRecording, type OpenRecording } from '@rapport/recording';
import { TouchpointsKafkaBatchHandler } from '../apps/ingest/src';
import { cpuSecondsSince } from './bench-support';

export type SqliteWriterKind = NonNullable<SqliteEventStoreOptions['writer']>;

/** A run's time from its first message to its last, and the CPU time its process(es) used. */
export interface Timed {
  readonly secs: number;
  readonly cpuSecs: number;
}

/** The store, write path (RecordingModule's CommandBus) and batch handler of one ingest instance. */
export async function ingestWritePath(
  dbPath: string,
  writer: SqliteWriterKind,
  /** Personal fields sealed before append, keys in a SQLite file beside the events. */
  encrypted = false,
  /** What the write path sees of the store (the identity bench counts its reads). */
  seenAs: (store: EventStore) => EventStore = (store) => store,
): Promise<{
  store: { close(): Promise<void> };
  recording: OpenRecording;
  handler: TouchpointsKafkaBatchHandler;
}> {
  const raw = new SqliteEventStore({ path: dbPath, writer });
  const keys = encrypted
    ? new CachingKeyStore(new SqliteKeyStore(`${dbPath}.keys.sqlite`))
    : undefined;
  const store = keys ? new EncryptingEventStore(raw, keys) : raw;
  const recording = await openRecording(seenAs(store), { cacheCapacity: 100_000 });
  const handler = new TouchpointsKafkaBatchHandler(recording.commandBus);
  return {
    store: {
      close: async () => {
        await store.close();
        await keys?.close();
      },
    },
    recording,
    handler,
  };
}

interface InstanceSetup {
  readonly config: KafkaConfig;
  readonly topics: readonly string[];
  readonly dbPath: string;
  readonly writer: SqliteWriterKind;
}

/**
 * What a child reports: its first batch's arrival, then each batch once it is stored, with the
 * CPU seconds it used since the first.
 */
type InstanceReport =
  | { readonly first: number }
  | {
      readonly messages: number;
      readonly deadLetters: number;
      readonly at: number;
      readonly cpuSecs: number;
    };

/** Milliseconds on a clock that the processes of one machine share (sub-millisecond). */
const sharedClock = () => performance.timeOrigin + performance.now();

/**
 * Runs `instances` child processes in one consumer group until `total` messages were stored,
 * calling `progress` with the count so far: the time from the first message any of them
 * consumed to the last one stored, and the CPU time they used meanwhile.
 */
export async function runInstances(
  setup: InstanceSetup,
  instances: number,
  total: number,
  progress: (done: number) => void,
): Promise<Timed> {
  // Created here once, so that the children do not race to create the schema.
  await new SqliteEventStore({ path: setup.dbPath, writer: 'inline' }).close();
  const children: ChildProcess[] = [];
  let first = Infinity;
  let done = 0;
  let deadLetters = 0;
  const cpuSecs = new Array<number>(instances).fill(0);
  try {
    const last = await new Promise<number>((resolve, reject) => {
      for (let i = 0; i < instances; i++) {
        const child = fork(__filename, ['--instance', JSON.stringify(setup)], {
          execArgv: process.execArgv,
        });
        children.push(child);
        child.on('message', (report: InstanceReport) => {
          if ('first' in report) first = Math.min(first, report.first);
          else {
            done += report.messages;
            deadLetters += report.deadLetters;
            cpuSecs[i] = report.cpuSecs;
            progress(done);
            if (done >= total) resolve(report.at);
          }
        });
        child.on('exit', (code, signal) => {
          if (done < total)
            reject(new Error(`ingest instance ${i + 1} exited (${signal ?? code}) before the end`));
        });
      }
    });
    if (deadLetters > 0) throw new Error(`${deadLetters} messages were dead-lettered`);
    return { secs: (last - first) / 1000, cpuSecs: cpuSecs.reduce((a, b) => a + b, 0) };
  } finally {
    await Promise.all(children.map(stopChild));
  }
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.send('stop');
  });
}

/** A child: one group member that stores what it consumes until the bench says stop. */
async function runInstance(setup: InstanceSetup): Promise<void> {
  Logger.overrideLogger(['error']);
  const { store, recording, handler } = await ingestWritePath(setup.dbPath, setup.writer);
  const consumer = new KafkaBatchConsumer({ config: setup.config, topics: setup.topics });
  const report = (message: InstanceReport) => process.send!(message);
  process.once('message', () => {
    void consumer
      .stop()
      .then(() => recording.close())
      .then(() => store.close())
      .then(() => process.exit(0));
  });
  let cpuAtFirst: NodeJS.CpuUsage | undefined;
  await consumer.start(async (messages) => {
    if (!cpuAtFirst) {
      cpuAtFirst = process.cpuUsage();
      report({ first: sharedClock() });
    }
    const outcome = await handler.handle(messages);
    report({
      messages: messages.length,
      deadLetters: outcome.deadLetters.length,
      at: sharedClock(),
      cpuSecs: cpuSecondsSince(cpuAtFirst),
    });
    return outcome;
  });
}

if (require.main === module) {
  const at = process.argv.indexOf('--instance');
  void runInstance(JSON.parse(process.argv[at + 1]) as InstanceSetup).catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
}
