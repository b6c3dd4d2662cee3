import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { RapportConfig } from '@rapport/config';
import { checkDeadLetters, findValues, type Finding, type KeyStore } from '@rapport/privacy';

export interface StoresScan {
  readonly findings: Finding[];
  readonly scanned: string[];
  /** Left that no erasure reaches (dead letters of the customer stored unsealed). */
  readonly problems: string[];
  /** What the dead-letter check covered, and until when part of it stays readable. */
  readonly notes: string[];
}

/**
 * Looks for erased values in everything Rapport writes: every file in DATA_DIR (SQLite files
 * with their -wal and -shm, the key store), each Redis key's DUMP, each dead letter (key,
 * value, headers; and the value opened where it names no customer and its day key still
 * exists) and the log files given.
 */
export async function scanStores(
  config: RapportConfig,
  keys: KeyStore,
  customerId: string,
  values: readonly string[],
  logFiles: readonly string[],
): Promise<StoresScan> {
  const findings: Finding[] = [];
  const scanned: string[] = [];
  const problems: string[] = [];
  const notes: string[] = [];
  for (const file of filesUnder(config.dataDir)) {
    findings.push(...findValues(file, readFileSync(file), values));
    scanned.push(file);
  }
  for (const file of logFiles) {
    findings.push(...findValues(file, readFileSync(file), values));
    scanned.push(file);
  }
  if (config.readStore.kind === 'redis') {
    scanned.push(`redis ${await scanRedis(config.readStore.url, values, findings)} keys`);
  }
  if (config.kafka) {
    const { readDeadLetters } = await import('../shared/lib/messaging.lib');
    const letters = await readDeadLetters(config.kafka, { timeoutMs: 15_000 });
    for (const letter of letters) {
      const bytes = Buffer.from(JSON.stringify(letter), 'utf8');
      findings.push(
        ...findValues(`dead letter ${letter.partition}/${letter.offset}`, bytes, values),
      );
    }
    const opened = await checkDeadLetters(
      customerId,
      letters,
      keys,
      values,
      config.privacy.deadLetterKeyDays,
    );
    findings.push(...opened.findings);
    problems.push(...opened.problems);
    notes.push(...opened.notes);
    scanned.push(`${letters.length} dead letters in ${config.kafka.dlqTopic}`);
  }
  return { findings, scanned, problems, notes };
}

function filesUnder(dir: string): string[] {
  const files: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const stat = statSync(path);
    if (stat.isDirectory()) files.push(...filesUnder(path));
    else if (stat.isFile()) files.push(path);
  }
  return files;
}

async function scanRedis(
  url: string,
  values: readonly string[],
  findings: Finding[],
): Promise<number> {
  const { default: Redis } = await import('ioredis');
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2 });
  await redis.connect();
  let count = 0;
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'COUNT', 1000);
      cursor = next;
      for (const key of keys) {
        const dump = await redis.dumpBuffer(key);
        count++;
        if (dump) findings.push(...findValues(`redis ${key}`, dump, values));
        findings.push(...findValues(`redis key name ${key}`, Buffer.from(key), values));
      }
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return count;
}
