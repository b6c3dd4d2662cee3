import { join, resolve } from 'node:path';

export const RAPPORT_CONFIG = Symbol('RAPPORT_CONFIG');

/** Everything Rapport reads from its environment, validated once at start. */
export interface RapportConfig {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  readonly eventStore:
    | { readonly kind: 'sqlite'; readonly path: string }
    | { readonly kind: 'eventstoredb'; readonly url: string };
  readonly readStore:
    { readonly kind: 'memory' } | { readonly kind: 'redis'; readonly url: string };
  readonly kafka?: { readonly brokers: readonly string[] };
  readonly ingest: {
    /** Most touchpoints one HTTP request may carry. */
    readonly maxBatch: number;
    /** Most bytes one HTTP body may have. */
    readonly maxBodyBytes: number;
  };
  readonly projector: { readonly batchSize: number; readonly maxBatchDelayMs: number };
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
  const brokers = parseBrokers(env.KAFKA_BROKERS, problems);

  const config: RapportConfig = {
    port,
    host: env.HOST?.trim() || '0.0.0.0',
    dataDir,
    logLevel,
    eventStore: eventStoreUrl
      ? { kind: 'eventstoredb', url: eventStoreUrl }
      : { kind: 'sqlite', path: join(dataDir, 'events.db') },
    readStore: redisUrl ? { kind: 'redis', url: redisUrl } : { kind: 'memory' },
    ...(brokers ? { kafka: { brokers } } : {}),
    ingest: {
      maxBatch: int('INGEST_MAX_BATCH', 1000, 1, 10_000),
      maxBodyBytes: int('INGEST_MAX_BODY_BYTES', 5 * 1024 * 1024, 1024, 100 * 1024 * 1024),
    },
    projector: {
      batchSize: int('PROJECTOR_BATCH_SIZE', 1000, 1, 100_000),
      maxBatchDelayMs: int('PROJECTOR_MAX_BATCH_DELAY_MS', 10, 0, 10_000),
    },
  };
  if (problems.length) throw new ConfigError(problems);
  return config;
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
