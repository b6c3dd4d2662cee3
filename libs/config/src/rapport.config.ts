import { join, resolve } from 'node:path';
import { parseHttpConfig, type HttpConfig } from './http.config';
import { parseSegmentConfig, type SegmentConfig } from './segment.config';
import { parsePrivacyConfig, type PrivacyConfig } from './privacy.config';
import { parseIdentityConfig, type IdentityConfig } from './identity.config';
import { parseSignalsConfig, type SignalsConfig } from './signals.config';
import { parseValueConfig, type ValueConfig } from './value.config';

export const RAPPORT_CONFIG = Symbol('RAPPORT_CONFIG');

/** Everything Rapport reads from its environment, validated once at start. */
export interface RapportConfig {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  readonly eventStore:
    | {
        readonly kind: 'sqlite';
        readonly path: string;
        /**
         * SQLITE_BUSY_TIMEOUT_MS: how long an append waits for another process's write lock
         * before it fails as an outage (503 / Kafka retry). better-sqlite3 waits synchronously,
         * so with SQLITE_WRITER=inline this also bounds how long a locked file can stall the
         * process.
         */
        readonly busyTimeoutMs: number;
        /**
         * SQLITE_WRITER: 'thread' writes appends on a worker thread, so that SQLite's work
         * (inserts, fsync, a lock wait) never blocks the event loop; 'inline' writes on the
         * main thread, one thread less.
         */
        readonly writer: 'thread' | 'inline';
      }
    | { readonly kind: 'eventstoredb'; readonly url: string };
  readonly readStore:
    | {
        readonly kind: 'memory';
        /** How long after its last write a view is kept as JSON text rather than objects. */
        readonly coldAfterMs: number;
      }
    | {
        readonly kind: 'redis';
        readonly url: string;
        /** REDIS_KEY_PREFIX: namespace of every key (several platforms, or tests, on one Redis). */
        readonly keyPrefix?: string;
      };
  /**
   * READ_STORE_MISMATCH: what to do at start with a read store built from another event store
   * (or past this one's head): 'refuse' to start, naming both and the command that fixes it;
   * 'rebuild' the views from this event store (the projector replays them into fresh
   * generations; the query API is not ready until then).
   */
  readonly readStoreMismatch: 'refuse' | 'rebuild';
  /** Present when KAFKA_BROKERS is set: ingest then also consumes the touchpoints topic. */
  readonly kafka?: KafkaConfig;
  readonly ingest: {
    /** Most touchpoints one HTTP request may carry. */
    readonly maxBatch: number;
    /** Most bytes one HTTP body may have. */
    readonly maxBodyBytes: number;
  };
  readonly projector: {
    readonly batchSize: number;
    readonly catchUpBatchSize: number;
    readonly maxBatchDelayMs: number;
  };
  /** The HTTP edge: API keys, CORS, rate limit, read-your-writes wait. */
  readonly http: HttpConfig;
  /** Encryption of personal fields and where the customers' keys are kept. */
  readonly privacy: PrivacyConfig;
  readonly insights: {
    /** Revenue is ranked in this ISO 4217 currency. */
    readonly currency: string;
    readonly windowMonths: number;
    readonly modelUnit: 'days' | 'weeks';
    readonly horizonDays: number;
    /** How often tiers and the churn model are recomputed from all customers (0: only on demand). */
    readonly refreshSeconds: number;
    /**
     * How long a list cursor keeps paging the snapshot it was cut from after a refresh replaced
     * it (0: the cursor expires with its snapshot).
     */
    readonly listCursorTtlSeconds: number;
    /** CLV horizon, discount and margin; unit costs of serving a customer. */
    readonly value: ValueConfig;
  };
  /** Retention signals: each rule's switch and thresholds, and where they are published. */
  readonly signals: SignalsConfig;
  /** The Segment-compatible ingest. */
  readonly segment: SegmentConfig;
  /** Identity resolution: how identifiers are normalised. */
  readonly identity: IdentityConfig;
}

export type KafkaSaslMechanism = 'plain' | 'scram-sha-256' | 'scram-sha-512';

export interface KafkaConfig {
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly groupId: string;
  readonly topic: string;
  /** Messages that can never succeed go here, value and key byte for byte. */
  readonly dlqTopic: string;
  readonly ssl: boolean;
  readonly sasl?: {
    readonly mechanism: KafkaSaslMechanism;
    readonly username: string;
    readonly password: string;
  };
  /** Where a group without committed offsets starts: the beginning, so nothing is lost. */
  readonly fromBeginning: boolean;
  readonly batch: {
    /** Upper bound of one partition's batch (one eachBatch call, one appendMany). */
    readonly maxBytesPerPartition: number;
    readonly maxBytes: number;
    /** How long a fetch waits for data; also bounds how late a paused partition resumes. */
    readonly maxWaitMs: number;
    /**
     * Partitions handled at once (each still in offset order): their batches are decoded while
     * the store commits, and appended in one transaction.
     */
    readonly partitionsConcurrently: number;
  };
  readonly sessionTimeoutMs: number;
  readonly heartbeatIntervalMs: number;
  /** Transient failures (store down): in-batch retries, then the partition pauses and backs off. */
  readonly retry: {
    readonly attemptsBeforePause: number;
    readonly initialBackoffMs: number;
    readonly maxBackoffMs: number;
  };
}

export class ConfigError extends Error {
  readonly code = 'INVALID_CONFIGURATION';
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/**
 * Reads and validates the environment. Every problem is reported at once, each naming the
 * variable and what it must look like, so a bad deployment fails at start, not at 3 a.m.
 */
export function loadConfig(env: Env = process.env): RapportConfig {
  const problems: string[] = [];
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name} must be an integer from ${min} to ${max} (got "${raw}")`);
      return fallback;
    }
    return value;
  };
  const url = (name: string, protocols: readonly string[]): string | undefined => {
    const raw = env[name]?.trim();
    if (!raw) return undefined;
    try {
      const parsed = new URL(raw);
      if (!protocols.includes(parsed.protocol)) {
        problems.push(`${name} must use ${protocols.join(' or ')} (got "${parsed.protocol}")`);
      }
    } catch {
      problems.push(`${name} must be a URL such as ${protocols[0]}//host:port (got "${raw}")`);
    }
    return raw;
  };

  const oneOf = <T extends string>(name: string, allowed: readonly T[], fallback: T): T => {
    const raw = env[name]?.trim();
    if (!raw) return fallback;
    if (!(allowed as readonly string[]).includes(raw)) {
      problems.push(`${name} must be one of ${allowed.join(', ')} (got "${raw}")`);
      return fallback;
    }
    return raw as T;
  };
  const currency = (name: string, fallback: string): string => {
    const raw = env[name]?.trim();
    if (!raw) return fallback;
    if (!/^[A-Z]{3}$/.test(raw))
      problems.push(`${name} must be an ISO 4217 code such as EUR (got "${raw}")`);
    return raw;
  };

  const port = int('PORT', 3000, 0, 65535);
  const dataDir = resolve(env.DATA_DIR?.trim() || './data');
  const logLevel = (env.LOG_LEVEL?.trim() || 'info') as RapportConfig['logLevel'];
  if (!LOG_LEVELS.includes(logLevel))
    problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);

  const eventStoreUrl = url('EVENTSTORE_URL', [
    'esdb:',
    'esdb+discover:',
    'kurrentdb:',
    'kurrentdb+discover:',
  ]);
  const redisUrl = url('REDIS_URL', ['redis:', 'rediss:']);
  const kafka = parseKafka(env, int, problems);

  const config: RapportConfig = {
    port,
    host: env.HOST?.trim() || '0.0.0.0',
    dataDir,
    logLevel,
    eventStore: eventStoreUrl
      ? { kind: 'eventstoredb', url: eventStoreUrl }
      : {
          kind: 'sqlite',
          path: join(dataDir, 'events.db'),
          busyTimeoutMs: int('SQLITE_BUSY_TIMEOUT_MS', 5_000, 0, 600_000),
          writer: oneOf('SQLITE_WRITER', ['thread', 'inline'] as const, 'thread'),
        },
    readStore: redisUrl
      ? {
          kind: 'redis',
          url: redisUrl,
          ...(env.REDIS_KEY_PREFIX?.trim() ? { keyPrefix: env.REDIS_KEY_PREFIX.trim() } : {}),
        }
      : {
          kind: 'memory',
          coldAfterMs: int('READ_STORE_COLD_AFTER_MS', 30_000, 0, 86_400_000),
        },
    readStoreMismatch: oneOf('READ_STORE_MISMATCH', ['refuse', 'rebuild'] as const, 'refuse'),
    ...(kafka ? { kafka } : {}),
    ingest: {
      maxBatch: int('INGEST_MAX_BATCH', 1000, 1, 10_000),
      maxBodyBytes: int('INGEST_MAX_BODY_BYTES', 5 * 1024 * 1024, 1024, 100 * 1024 * 1024),
    },
    projector: {
      batchSize: int('PROJECTOR_BATCH_SIZE', 1000, 1, 100_000),
      catchUpBatchSize: int('PROJECTOR_CATCH_UP_BATCH_SIZE', 500_000, 1, 1_000_000),
      maxBatchDelayMs: int('PROJECTOR_MAX_BATCH_DELAY_MS', 10, 0, 10_000),
    },
    http: parseHttpConfig(env, int, problems),
    privacy: parsePrivacyConfig(env, dataDir, url, problems, int),
    insights: {
      currency: currency('REPORTING_CURRENCY', 'EUR'),
      windowMonths: int('TIER_WINDOW_MONTHS', 12, 1, 120),
      modelUnit: oneOf('CHURN_MODEL_UNIT', ['days', 'weeks'] as const, 'weeks'),
      horizonDays: int('CHURN_HORIZON_DAYS', 90, 1, 3650),
      refreshSeconds: int('INSIGHTS_REFRESH_SECONDS', 60, 0, 86_400),
      listCursorTtlSeconds: int('LIST_CURSOR_TTL_SECONDS', 600, 0, 86_400),
      value: parseValueConfig(env, int, problems),
    },
    signals: parseSignalsConfig(env, int, problems),
    segment: parseSegmentConfig(env, problems),
    identity: parseIdentityConfig(env, problems),
  };
  if (problems.length) throw new ConfigError(problems);
  return config;
}

const SASL_MECHANISMS: readonly KafkaSaslMechanism[] = ['plain', 'scram-sha-256', 'scram-sha-512'];
const TOPIC_PATTERN = /^[A-Za-z0-9._-]{1,249}$/;
const KAFKA_ONLY = [
  'KAFKA_CLIENT_ID',
  'KAFKA_GROUP_ID',
  'KAFKA_TOPIC',
  'KAFKA_DLQ_TOPIC',
  'KAFKA_SSL',
  'KAFKA_SASL_MECHANISM',
  'KAFKA_SASL_USERNAME',
  'KAFKA_SASL_PASSWORD',
];

type IntReader = (name: string, fallback: number, min: number, max: number) => number;

function parseKafka(env: Env, int: IntReader, problems: string[]): KafkaConfig | undefined {
  const brokers = parseBrokers(env.KAFKA_BROKERS, problems);
  if (!brokers) {
    const stray = KAFKA_ONLY.filter((name) => env[name]?.trim());
    if (stray.length) problems.push(`${stray.join(', ')} set but KAFKA_BROKERS is not`);
    return undefined;
  }
  const name = (variable: string, fallback: string): string => {
    const value = env[variable]?.trim() || fallback;
    if (!TOPIC_PATTERN.test(value))
      problems.push(`${variable} must be 1–249 of A–Z a–z 0–9 . _ - (got "${value}")`);
    return value;
  };
  const topic = name('KAFKA_TOPIC', 'touchpoints');
  const dlqTopic = name('KAFKA_DLQ_TOPIC', `${topic}.dlq`);
  if (dlqTopic === topic) problems.push('KAFKA_DLQ_TOPIC must differ from KAFKA_TOPIC');
  const sessionTimeoutMs = int('KAFKA_SESSION_TIMEOUT_MS', 30_000, 1_000, 3_600_000);
  const heartbeatIntervalMs = int('KAFKA_HEARTBEAT_INTERVAL_MS', 3_000, 100, 3_600_000);
  if (heartbeatIntervalMs >= sessionTimeoutMs)
    problems.push('KAFKA_HEARTBEAT_INTERVAL_MS must be below KAFKA_SESSION_TIMEOUT_MS');
  const initialBackoffMs = int('KAFKA_RETRY_INITIAL_MS', 200, 1, 600_000);
  const maxBackoffMs = int('KAFKA_RETRY_MAX_MS', 30_000, 1, 3_600_000);
  if (maxBackoffMs < initialBackoffMs)
    problems.push('KAFKA_RETRY_MAX_MS must be at least KAFKA_RETRY_INITIAL_MS');
  return {
    brokers,
    clientId: name('KAFKA_CLIENT_ID', 'rapport'),
    groupId: name('KAFKA_GROUP_ID', 'rapport-ingest'),
    topic,
    dlqTopic,
    ssl: bool('KAFKA_SSL', env, problems),
    ...parseSasl(env, problems),
    fromBeginning: env.KAFKA_FROM_BEGINNING?.trim()
      ? bool('KAFKA_FROM_BEGINNING', env, problems)
      : true,
    batch: {
      maxBytesPerPartition: int(
        'KAFKA_MAX_BYTES_PER_PARTITION',
        1024 * 1024,
        1024,
        100 * 1024 * 1024,
      ),
      maxBytes: int('KAFKA_MAX_BYTES', 10 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
      maxWaitMs: int('KAFKA_MAX_WAIT_MS', 500, 0, 60_000),
      partitionsConcurrently: int('KAFKA_PARTITIONS_CONCURRENTLY', 4, 1, 64),
    },
    sessionTimeoutMs,
    heartbeatIntervalMs,
    retry: {
      attemptsBeforePause: int('KAFKA_RETRY_ATTEMPTS_BEFORE_PAUSE', 3, 1, 100),
      initialBackoffMs,
      maxBackoffMs,
    },
  };
}

function parseSasl(env: Env, problems: string[]): Pick<KafkaConfig, 'sasl'> {
  const mechanism = env.KAFKA_SASL_MECHANISM?.trim().toLowerCase();
  const username = env.KAFKA_SASL_USERNAME ?? '';
  const password = env.KAFKA_SASL_PASSWORD ?? '';
  if (!mechanism) {
    if (username || password)
      problems.push('KAFKA_SASL_USERNAME/KAFKA_SASL_PASSWORD need KAFKA_SASL_MECHANISM');
    return {};
  }
  if (!SASL_MECHANISMS.includes(mechanism as KafkaSaslMechanism)) {
    problems.push(`KAFKA_SASL_MECHANISM must be one of ${SASL_MECHANISMS.join(', ')}`);
    return {};
  }
  if (!username || !password)
    problems.push(
      `KAFKA_SASL_MECHANISM=${mechanism} needs KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD`,
    );
  return { sasl: { mechanism: mechanism as KafkaSaslMechanism, username, password } };
}

function bool(name: string, env: Env, problems: string[]): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (!raw || raw === 'false' || raw === '0') return false;
  if (raw === 'true' || raw === '1') return true;
  problems.push(`${name} must be true or false (got "${env[name]}")`);
  return false;
}

function parseBrokers(raw: string | undefined, problems: string[]): string[] | undefined {
  if (!raw?.trim()) return undefined;
  const brokers = raw
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);
  const bad = brokers.filter((b) => !/^[A-Za-z0-9.\-_[\]:]+:\d{1,5}$/.test(b));
  if (bad.length)
    problems.push(`KAFKA_BROKERS must be host:port[,host:port…] (bad: ${bad.join(', ')})`);
  return brokers;
}
