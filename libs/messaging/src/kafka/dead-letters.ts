import { randomUUID } from 'node:crypto';
import type { KafkaConfig } from '@rapport/config';
import { Partitioners, type Admin, type EachBatchPayload, type IHeaders } from 'kafkajs';
import { DEAD_LETTER_HEADERS } from './dead-letter.publisher';
import { connectOrExplain, createKafkaClient } from './kafka.client';

/** Consumer group that remembers which dead letters were re-driven already. */
export const DEAD_LETTER_REDRIVE_GROUP = 'rapport-dlq-redrive';

export interface DeadLetterRecord {
  readonly partition: number;
  readonly offset: string;
  readonly key: string | null;
  readonly value: string | null;
  readonly code: string;
  readonly reason: string;
  readonly originalTopic: string;
  readonly failedAt: string;
  readonly headers: Readonly<Record<string, string>>;
}

export interface DeadLetterCount {
  readonly topic: string;
  /** Dead letters after what the re-drive group has committed (all of them before any re-drive). */
  readonly waiting: number;
  readonly total: number;
}

/** Counted from the dead-letter topic's offsets: no message is read. */
export async function countDeadLetters(config: KafkaConfig): Promise<DeadLetterCount> {
  const admin = createKafkaClient(config, 'tool').admin();
  await connectOrExplain(admin, config);
  try {
    const offsets = await admin.fetchTopicOffsets(config.dlqTopic);
    const committed = await committedOffsets(admin, config.dlqTopic);
    let waiting = 0;
    let total = 0;
    for (const { partition, high, low } of offsets) {
      const from = Math.max(Number(low), committed.get(partition) ?? 0);
      total += Number(high) - Number(low);
      waiting += Math.max(Number(high) - from, 0);
    }
    return { topic: config.dlqTopic, waiting, total };
  } finally {
    await admin.disconnect();
  }
}

/**
 * Reads dead letters from the start of the topic (or after the re-drive group's offsets) up to
 * the high watermarks taken when it started, without committing anything.
 */
export async function readDeadLetters(
  config: KafkaConfig,
  options: {
    readonly waitingOnly?: boolean;
    readonly limit?: number;
    readonly timeoutMs?: number;
  } = {},
): Promise<DeadLetterRecord[]> {
  const found: DeadLetterRecord[] = [];
  await consumeUpToHighWatermark(config, {
    groupId: `rapport-dlq-list-${randomUUID()}`,
    startAfterGroup: options.waitingOnly ? DEAD_LETTER_REDRIVE_GROUP : undefined,
    timeoutMs: options.timeoutMs ?? 30_000,
    handle: async (records) => {
      for (const record of records)
        if (found.length < (options.limit ?? Infinity)) found.push(record);
    },
  });
  return found;
}

/**
 * Re-drives the waiting dead letters to their original topic, key and value as they came (so
 * the same source + touchpointId gives the same event id: a message already stored stays
 * a duplicate), then commits them in the re-drive group so that they are not sent twice.
 * `select` may keep some back (they stay waiting).
 */
export async function redriveDeadLetters(
  config: KafkaConfig,
  options: {
    readonly select?: (record: DeadLetterRecord) => boolean;
    readonly dryRun?: boolean;
    readonly timeoutMs?: number;
  } = {},
): Promise<{ readonly redriven: number; readonly skipped: number }> {
  // Not an idempotent producer: a letter sent twice is harmless (ingest derives the same event
  // id and records it once), and the mock cluster used in tests has no producer-id support.
  const producer = createKafkaClient(config, 'tool').producer({
    maxInFlightRequests: 1,
    allowAutoTopicCreation: true,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await connectOrExplain(producer, config);
  let redriven = 0;
  let skipped = 0;
  try {
    await consumeUpToHighWatermark(config, {
      groupId: options.dryRun ? `rapport-dlq-dry-${randomUUID()}` : DEAD_LETTER_REDRIVE_GROUP,
      commit: !options.dryRun,
      timeoutMs: options.timeoutMs ?? 30_000,
      handle: async (records) => {
        const chosen = records.filter((r) => options.select?.(r) ?? true);
        skipped += records.length - chosen.length;
        // The group's offset may not pass a letter kept back: it stays waiting. Letters re-driven
        // after it are sent again next time, harmlessly (same event ids: duplicates).
        const keptBack = records.find((r) => !(options.select?.(r) ?? true));
        if (options.dryRun) {
          redriven += chosen.length;
          return;
        }
        const byTopic = new Map<string, DeadLetterRecord[]>();
        for (const r of chosen)
          byTopic.set(r.originalTopic, [...(byTopic.get(r.originalTopic) ?? []), r]);
        for (const [topic, letters] of byTopic) {
          await producer.send({
            topic,
            acks: -1,
            messages: letters.map((r) => ({
              key: r.key,
              value: r.value,
              headers: {
                ...withoutDeadLetterHeaders(r.headers),
                'dlq.redriven.from': `${config.dlqTopic}/${r.partition}/${r.offset}`,
              },
            })),
          });
        }
        redriven += chosen.length;
        return keptBack?.offset;
      },
    });
  } finally {
    await producer.disconnect();
  }
  return { redriven, skipped };
}

async function consumeUpToHighWatermark(
  config: KafkaConfig,
  options: {
    readonly groupId: string;
    readonly startAfterGroup?: string;
    readonly commit?: boolean;
    readonly timeoutMs: number;
    /** Resolves with the offset to commit up to (exclusive), default after the last record. */
    readonly handle: (records: DeadLetterRecord[]) => Promise<string | void>;
  },
): Promise<void> {
  const kafka = createKafkaClient(config, 'tool');
  const admin = kafka.admin();
  await connectOrExplain(admin, config);
  const offsets = await admin.fetchTopicOffsets(config.dlqTopic);
  const startFrom = options.startAfterGroup
    ? await committedOffsets(admin, config.dlqTopic, options.startAfterGroup)
    : await committedOffsets(admin, config.dlqTopic, options.groupId);
  await admin.disconnect();
  const remaining = new Map<number, bigint>();
  for (const { partition, high, low } of offsets) {
    const from = BigInt(Math.max(Number(low), startFrom.get(partition) ?? 0));
    if (BigInt(high) > from) remaining.set(partition, BigInt(high));
  }
  if (remaining.size === 0) return;
  const consumer = kafka.consumer({ groupId: options.groupId, allowAutoTopicCreation: false });
  await connectOrExplain(consumer, config);
  try {
    await consumer.subscribe({ topic: config.dlqTopic, fromBeginning: true });
    let finish: () => void = () => undefined;
    let fail: (error: unknown) => void = () => undefined;
    const done = new Promise<void>((resolve, reject) => {
      finish = resolve;
      fail = reject;
    });
    const timer = setTimeout(
      () => fail(new Error(`dead letters: not read within ${options.timeoutMs} ms`)),
      options.timeoutMs,
    );
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch, resolveOffset }: EachBatchPayload) => {
        const high = remaining.get(batch.partition);
        if (high === undefined) return;
        const inRange = batch.messages.filter((m) => BigInt(m.offset) < high);
        const from = startFrom.get(batch.partition);
        const records = inRange
          .filter((m) => from === undefined || Number(m.offset) >= from)
          .map((m) => toRecord(batch.partition, m.offset, m.key, m.value, m.headers));
        let commitUpTo: string | void;
        try {
          commitUpTo = await options.handle(records);
        } catch (error) {
          fail(error);
          return;
        }
        const last = inRange[inRange.length - 1];
        if (last) {
          resolveOffset(last.offset);
          if (options.commit)
            await consumer.commitOffsets([
              {
                topic: config.dlqTopic,
                partition: batch.partition,
                offset: commitUpTo ?? (BigInt(last.offset) + 1n).toString(),
              },
            ]);
          if (BigInt(last.offset) + 1n >= high) remaining.delete(batch.partition);
        }
        if (remaining.size === 0) finish();
      },
    });
    try {
      await done;
    } finally {
      clearTimeout(timer);
    }
  } finally {
    await consumer.disconnect();
  }
}

async function committedOffsets(
  admin: Admin,
  topic: string,
  groupId = DEAD_LETTER_REDRIVE_GROUP,
): Promise<Map<number, number>> {
  const committed = new Map<number, number>();
  try {
    const [entry] = await admin.fetchOffsets({ groupId, topics: [topic] });
    for (const { partition, offset } of entry?.partitions ?? [])
      if (Number(offset) >= 0) committed.set(partition, Number(offset));
  } catch {
    // A group that never committed, or a broker that can't say: count from the start.
  }
  return committed;
}

function text(value: Buffer | string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'string' ? value : value.toString('utf8');
}

function toRecord(
  partition: number,
  offset: string,
  key: Buffer | null,
  value: Buffer | null,
  headers: IHeaders | undefined,
): DeadLetterRecord {
  const flat: Record<string, string> = {};
  for (const [name, raw] of Object.entries(headers ?? {})) {
    const v = Array.isArray(raw) ? raw[raw.length - 1] : raw;
    const t = text(v as Buffer | string | undefined);
    if (t !== null) flat[name] = t;
  }
  return {
    partition,
    offset,
    key: text(key),
    value: text(value),
    code: flat[DEAD_LETTER_HEADERS.code] ?? 'UNKNOWN',
    reason: flat[DEAD_LETTER_HEADERS.reason] ?? '',
    originalTopic: flat[DEAD_LETTER_HEADERS.topic] ?? '',
    failedAt: flat[DEAD_LETTER_HEADERS.failedAt] ?? '',
    headers: flat,
  };
}

function withoutDeadLetterHeaders(
  headers: Readonly<Record<string, string>>,
): Record<string, string> {
  const dlq = new Set<string>(Object.values(DEAD_LETTER_HEADERS));
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !dlq.has(name)));
}
