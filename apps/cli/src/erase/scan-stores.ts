import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { RapportConfig } from '@rapport/config';
import { findValues, type Finding } from '@rapport/privacy';

/**
 * Looks for erased values in everything Rapport writes: every file in DATA_DIR (SQLite files
 * with their -wal and -shm, the key store), each Redis key's DUMP, each dead letter (key,
 * value, headers) and the log files given.
 */
export async function scanStores(
  config: RapportConfig,
  values: readonly string[],
  logFiles: readonly string[],
): Promise<{ readonly findings: Finding[]; readonly scanned: string[] }> {
  const findings: Finding[] = [];
  const scanned: string[] = [];
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
    scanned.push(`${letters.length} dead letters in ${config.kafka.dlqTopic}`);
  }
  return { findings, scanned };
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
