import { existsSync } from 'node:fs';
import { Logger, type LoggerService } from '@nestjs/common';
import { loadConfig, type RapportConfig } from '@rapport/config';
import { createEventStore, type EventStore } from '@rapport/event-store';
import {
  createKeyStore,
  EncryptingEventStore,
  writeTombstonesFromLog,
  type CachingKeyStore,
} from '@rapport/privacy';
import { createReadStore, ViewGenerations, type ReadStore } from '@rapport/read-store';
import { CliExit, EXIT } from './exit-codes';

export interface CliStores {
  readonly config: RapportConfig;
  /** Personal fields sealed on append and opened on read, as in the apps. */
  readonly eventStore: EventStore;
  /** What is really stored (verification). */
  readonly rawEventStore: EventStore;
  readonly keys: CachingKeyStore;
  readonly readStore: ReadStore;
  readonly generations: ViewGenerations;
  close(): Promise<void>;
}

export interface OpenStoresOptions {
  /**
   * Whether the command may start a new SQLite event store (import, demo-data --into-store).
   * A command that reads one refuses a missing file instead of creating an empty store and
   * answering about it: a wrong DATA_DIR is by far the likelier cause.
   */
  readonly create?: boolean;
}

/** The same stores the apps use, chosen by the same environment variables. */
export async function openStores(
  env: NodeJS.ProcessEnv = process.env,
  options: OpenStoresOptions = {},
): Promise<CliStores> {
  quietLogs();
  const config = loadConfig(env);
  if (!options.create) requireExistingEventStore(config);
  const rawEventStore = createEventStore(config);
  const keys = createKeyStore(config.privacy);
  const eventStore =
    config.privacy.encryption === 'on'
      ? new EncryptingEventStore(rawEventStore, keys)
      : rawEventStore;
  // Once per key store: customers erased before it kept tombstones get theirs before any append.
  if (config.privacy.encryption === 'on') await writeTombstonesFromLog(rawEventStore, keys);
  const readStore = createReadStore(config);
  return {
    config,
    eventStore,
    rawEventStore,
    keys,
    readStore,
    generations: new ViewGenerations(readStore),
    close: async () => {
      await readStore.close();
      await eventStore.close();
      await keys.close();
    },
  };
}

/** The route on the running platform that does what `command` would (rebuild, or compare). */
const IN_PROCESS_ROUTE: Record<'replay' | 'verify', string> = {
  replay: 'POST /v1/projections/<name>/rebuild',
  verify:
    'POST /v1/projections/<name>/rebuild?dryRun=true (rebuilds aside and compares, no switch)',
};

export function requireSharedViews(stores: CliStores, command: 'replay' | 'verify'): void {
  if (stores.config.readStore.kind === 'memory')
    throw new CliExit(
      EXIT.needsSharedViews,
      `${command} works on views shared between processes: set REDIS_URL. With the embedded ` +
        'in-memory views they live inside the platform process: use ' +
        `${IN_PROCESS_ROUTE[command]} (admin) on the running platform instead.`,
    );
}

/** What is wrong when a SQLite event store is not where DATA_DIR points, else undefined. */
export function missingEventStore(config: RapportConfig): string | undefined {
  if (config.eventStore.kind !== 'sqlite' || existsSync(config.eventStore.path)) return undefined;
  return (
    `no event store at ${config.eventStore.path}: set DATA_DIR to the directory the platform ` +
    `writes to (now ${config.dataDir}; \`npm run demo\` writes ./data/demo), or set EVENTSTORE_URL.`
  );
}

function requireExistingEventStore(config: RapportConfig): void {
  const missing = missingEventStore(config);
  if (missing) throw new CliExit(EXIT.failure, missing);
}

/**
 * Views in a read store built from another event store (or past this one's head) are not to
 * be read: fails with what was found and the command that fixes it (`rapport replay`).
 */
export async function requireBoundViews(stores: CliStores): Promise<void> {
  const { checkStoreBinding, ReadStoreMismatchError } = await import('./lib/projector.lib');
  const report = await checkStoreBinding(stores.eventStore, stores.readStore);
  if (report.state === 'mismatch') throw new ReadStoreMismatchError(report);
}

/** Runs `work` with the stores open and closes them whatever happens. */
export async function withStores<T>(
  work: (stores: CliStores) => Promise<T>,
  options: OpenStoresOptions = {},
): Promise<T> {
  const stores = await openStores(process.env, options);
  try {
    return await work(stores);
  } finally {
    await stores.close();
  }
}

/** Library logs go to stderr, warnings and errors only: stdout is the command's answer. */
function quietLogs(): void {
  const verbose = process.env.RAPPORT_CLI_VERBOSE === '1';
  const write = (level: string, message: unknown) =>
    process.stderr.write(`[${level}] ${String(message)}\n`);
  const logger: LoggerService = {
    log: (message) => verbose && write('info', message),
    warn: (message) => write('warn', message),
    error: (message) => write('error', message),
  };
  Logger.overrideLogger(logger);
}

/** Aborted on Ctrl-C or SIGTERM, so long work stops between two batches. */
export function interruptSignal(): AbortSignal {
  const controller = new AbortController();
  const abort = () => controller.abort();
  process.once('SIGINT', abort);
  process.once('SIGTERM', abort);
  return controller.signal;
}
