/**
 * Issue 4 benchmark: 200,000 touchpoints for 10,000 customers through Kafka into SQLite, end
 * to end (first message consumed → last event appended), beside the two ceilings measured in
 * the same run on the same data: raw kafkajs consumption (eachBatch, no work) and raw batched
 * inserts of the same events into the same SQLite schema.
 *   npm run bench:kafka [-- --touchpoints 200000 --customers 10000 --topics 8 --rounds 3]
 *     --rounds: each round measures the three again (fresh consumer groups and SQLite files,
 *     same messages); the summary gives each one's median, and the ratio of the medians,
 *     because on a shared 2-core machine a single run's ratio moved by ten points and more
 *     [--profile /tmp/prof-kafka]   CPU profile of the first round's end-to-end phase only
 *     (joining and leaving the group included: that wait shows as idle), summary on stderr;
 *     with --with-encryption the encrypted run's too (end-to-end-encrypted.cpuprofile)
 *     [--with-encryption]   each round also runs end to end with personal fields encrypted
 *     (AES-256-GCM per customer, keys in a SQLite file beside the events; issue 34) and gives
 *     its rate against the plain run of the same round (target: at most 15 % slower); the two
 *     take turns at going first, round by round
 *     [--instances N]   end to end with N ingest processes in one consumer group, each with
 *     its own SQLite connection to the one database file (default 1, in this process)
 *     [--identifiers 1|2 --new-link-share 0.1 --known-identifiers 1000[,1000000]
 *      --compare-identifiers]   identity resolution (issue 30; kafka-ingest.identities.ts): each
 *     touchpoint carries that many identifiers besides its customerId, the share given of them
 *     one not linked before, over a store seeded with the known identifiers; each round runs end
 *     to end once per known count, and without identifiers too with --compare-identifiers, in
 *     alternating order, and the summary gives the ratios (the raw ceilings are not run then)
 * The store writes, and the consumer fetches, as the ingest service's configuration says
 * (SQLITE_WRITER, default a writer thread; KAFKA_MAX_BYTES_PER_PARTITION, KAFKA_MAX_BYTES,
 * KAFKA_PARTITIONS_CONCURRENTLY): SQLITE_WRITER=inline measures the main-thread writer.
 * Uses KAFKA_BROKERS when set, else starts librdkafka's mock cluster (kcat). The mock keeps
 * only ~5 MiB per partition, so the customers are spread over several topics. The npm script
 * runs Node with the ingest service's young generation (--max-semi-space-size=64;
 * docs/OPERATIONS.md, "Young generation"), and the summary names the flags it ran with.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { loadConfig, type KafkaConfig } from '@rapport/config';
import {
  decide,
  recordTouchpoint,
  initialCustomerState,
  evolve,
  customerStreamName,
  type CustomerState,
  type Touchpoint,
} from '@rapport/domain';
import { SqliteEventStore, type EventStore } from '@rapport/event-store';
import { KafkaBatchConsumer, KafkaMessagePublisher, type BatchHandler } from '@rapport/messaging';
import { median } from '../libs/analytics/src/math/median';
import { openSqlite } from '../libs/event-store/src/sqlite/sqlite.connection';
import { SQLITE_SCHEMA } from '../libs/event-store/src/sqlite/sqlite.schema';
import { toNewEvent } from '@rapport/recording';
import { startMock } from '../test/support/kafka';
import {
  argument,
  cpuSecondsSince,
  perSecond,
  progressBar as barOnTerminal,
  seconds,
  seededRandom,
  v8Flags,
} from './bench-support';
import { summariseProfile, type ProfileStage } from './cpu-profile';
import {
  StoreCallCounter,
  copyStore,
  countStored,
  expectationOf,
  identitySummary,
  seedIdentityStore,
  withIdentifiers,
  type IdentityPlan,
  type IdentityRun,
} from './kafka-ingest.identities';
import {
  ingestWritePath,
  runInstances,
  type SqliteWriterKind,
  type Timed,
} from './kafka-ingest.instances';

const TOUCHPOINTS = Number(argument('--touchpoints') ?? 200_000);
const CUSTOMERS = Number(argument('--customers') ?? 10_000);
const TOPICS = Number(argument('--topics') ?? 8);
const INSERT_BATCH = Number(argument('--insert-batch') ?? 2_000);
const ROUNDS = Number(argument('--rounds') ?? 3);
if (!Number.isInteger(ROUNDS) || ROUNDS < 1) throw new Error('--rounds takes a whole number ≥ 1');
const PROFILE_DIR = argument('--profile');
const WITH_ENCRYPTION = process.argv.includes('--with-encryption');
const INSTANCES = Number(argument('--instances') ?? 1);
if (!Number.isInteger(INSTANCES) || INSTANCES < 1)
  throw new Error('--instances takes a whole number ≥ 1');
if (PROFILE_DIR && INSTANCES > 1)
  throw new Error('--profile profiles this process: it takes one instance only');
const IDENTIFIERS = Number(argument('--identifiers') ?? 0);
if (![0, 1, 2].includes(IDENTIFIERS)) throw new Error('--identifiers takes 0, 1 or 2');
const NEW_LINK_SHARE = Number(argument('--new-link-share') ?? 0.1);
if (!(NEW_LINK_SHARE >= 0 && NEW_LINK_SHARE <= 1))
  throw new Error('--new-link-share takes a share from 0 to 1 (0.1: one touchpoint in ten)');
const KNOWN_IDENTIFIERS = (argument('--known-identifiers') ?? '0').split(',').map(Number);
if (KNOWN_IDENTIFIERS.some((n) => !Number.isInteger(n) || n < 0))
  throw new Error('--known-identifiers takes whole numbers ≥ 0, comma-separated (1000,1000000)');
const COMPARE_IDENTIFIERS = process.argv.includes('--compare-identifiers');
const IDENTITY_FLAGS = ['--new-link-share', '--known-identifiers', '--compare-identifiers'];
if (IDENTIFIERS === 0 && IDENTITY_FLAGS.some((flag) => process.argv.includes(flag)))
  throw new Error(`${IDENTITY_FLAGS.join(', ')} need --identifiers 1 or 2`);
if (IDENTIFIERS > 0 && (INSTANCES > 1 || WITH_ENCRYPTION))
  throw new Error('--identifiers runs one instance, without --with-encryption');

/** The write path, for the profile summary. */
const STAGES: ProfileStage[] = [
  { name: 'SQLite append', frames: /sqlite|better-sqlite3/ },
  { name: 'event ids (UUID v5)', frames: /event-id|node_modules\/uuid\// },
  { name: 'decide', frames: /libs\/domain\/src\/customer/ },
  { name: 'recorder', frames: /touchpoint-recorder|customer-queue|customer-state\.cache/ },
  { name: 'identity resolution', frames: /libs\/identity\/|recording\/src\/identity\// },
  { name: 'identifiers (decode, normalise)', frames: /libs\/contract\/src\/identifiers\// },
  { name: 'decode + validate', frames: /libs\/contract\/|class-validator|class-transformer/ },
  { name: 'batch handler', frames: /touchpoints\.kafka\.batch-handler/ },
  { name: 'kafkajs', frames: /node_modules\/kafkajs\// },
  { name: 'personal data (seal, keys)', frames: /libs\/privacy\/|internal\/crypto/ },
];

/** Profiles `work` in this process when --profile is given; prints the summary on stderr. */
async function profiled<T>(name: string, work: () => Promise<T>): Promise<T> {
  if (!PROFILE_DIR) return work();
  mkdirSync(PROFILE_DIR, { recursive: true });
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  try {
    return await work();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    session.disconnect();
    const file = join(PROFILE_DIR, `${name}.cpuprofile`);
    writeFileSync(file, JSON.stringify(profile));
    process.stderr.write(`${summariseProfile(file, STAGES)}\n`);
  }
}

/** A bar on a terminal; otherwise a progress line a second, so CI logs show it moving. */
function progressBar(label: string, total: number): { update(value: number): void; stop(): void } {
  if (process.stderr.isTTY) return barOnTerminal(label, total);
  const started = process.hrtime.bigint();
  let last = 0;
  let value = 0;
  const print = () =>
    process.stderr.write(
      `${label}: ${Math.floor((value / total) * 100)}% ${value}/${total} (${perSecond(value, Math.max(seconds(started), 1e-3))}/s)\n`,
    );
  return {
    update: (v: number) => {
      value = v;
      const now = Date.now();
      if (now - last >= 1000) {
        last = now;
        print();
      }
    },
    stop: print,
  };
}

function generate(): Touchpoint[] {
  const random = seededRandom(4);
  const orders = new Map<string, number>();
  const touchpoints: Touchpoint[] = [];
  for (let i = 0; i < TOUCHPOINTS; i++) {
    const customerId = `C-${i % CUSTOMERS}`;
    const occurredAt = new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString();
    const base = { touchpointId: `tp-${i}`, source: 'bench', customerId, occurredAt };
    const roll = random();
    if (roll < 0.25) {
      const orderNo = (orders.get(customerId) ?? 0) + 1;
      orders.set(customerId, orderNo);
      touchpoints.push({
        ...base,
        type: 'purchase',
        channel: 'store',
        data: {
          orderId: `O-${orderNo}`,
          amount: { minor: 100 + Math.floor(random() * 20_000), currency: 'EUR' },
        },
      } as Touchpoint);
    } else if (roll < 0.6) {
      touchpoints.push({
        ...base,
        type: 'web_visit',
        channel: 'web',
        data: { url: `https://shop.example/p/${Math.floor(random() * 500)}`, durationSeconds: 30 },
      } as Touchpoint);
    } else if (roll < 0.85) {
      touchpoints.push({
        ...base,
        type: 'email',
        channel: 'email',
        data: { direction: 'outbound', action: 'opened', campaignId: 'c-1' },
      } as Touchpoint);
    } else {
      touchpoints.push({
        ...base,
        type: 'call',
        channel: 'phone',
        data: { direction: 'inbound', durationSeconds: 120, reason: 'question' },
      } as Touchpoint);
    }
  }
  return touchpoints;
}

/**
 * Each customer's touchpoints go to one topic, in order, keyed by customer (so to one partition
 * of it), as channel systems publish them: spreading a customer over topics would make the
 * recorder wait for one partition's batch before deciding another's.
 */
async function publishAll(
  config: KafkaConfig,
  topics: string[],
  touchpoints: Touchpoint[],
): Promise<void> {
  const publisher = new KafkaMessagePublisher(config);
  await publisher.connect();
  const bar = progressBar('publish', touchpoints.length);
  const byTopic = topics.map((): Touchpoint[] => []);
  for (const tp of touchpoints) byTopic[topicOf(tp.customerId, topics.length)].push(tp);
  let sent = 0;
  for (let t = 0; t < topics.length; t++) {
    const slice = byTopic[t];
    for (let i = 0; i < slice.length; i += 2_000) {
      const chunk = slice.slice(i, i + 2_000);
      await publisher.publish(
        topics[t],
        chunk.map((tp) => ({ key: tp.customerId, value: JSON.stringify(tp) })),
      );
      sent += chunk.length;
      bar.update(sent);
    }
  }
  bar.stop();
  await publisher.disconnect();
}

function topicOf(customerId: string, topics: number): number {
  let hash = 0;
  for (let i = 0; i < customerId.length; i++) hash = (hash * 31 + customerId.charCodeAt(i)) | 0;
  return Math.abs(hash) % topics;
}

/** Each run reads the topics from the start, in a consumer group of its own. */
function ownGroup(config: KafkaConfig): KafkaConfig {
  return { ...config, groupId: `bench-${randomUUID()}` };
}

/**
 * Runs a consumer over the topics until `total` messages went through: the time from the first
 * to the last, and the CPU time this process (all its threads) used meanwhile.
 */
async function consume(
  config: KafkaConfig,
  topics: string[],
  label: string,
  total: number,
  handle: BatchHandler,
): Promise<Timed> {
  const bar = progressBar(label, total);
  let done = 0;
  let first: bigint | undefined;
  let cpuAtFirst: NodeJS.CpuUsage | undefined;
  let finished: (timed: Timed) => void = () => {};
  const result = new Promise<Timed>((resolve) => (finished = resolve));
  const consumer = new KafkaBatchConsumer({ config: ownGroup(config), topics });
  await consumer.start(async (messages, controls) => {
    first ??= process.hrtime.bigint();
    cpuAtFirst ??= process.cpuUsage();
    const outcome = await handle(messages, controls);
    done += messages.length;
    bar.update(done);
    if (done >= total) finished({ secs: seconds(first), cpuSecs: cpuSecondsSince(cpuAtFirst) });
    return outcome;
  });
  const timed = await result;
  bar.stop();
  await consumer.stop();
  return timed;
}

/** The same events the write path appends, inserted with plain prepared statements. */
function rawInserts(dbPath: string, of: string): number {
  const ingestedAt = new Date().toISOString();
  const states = new Map<string, CustomerState>();
  const events = generate().map((tp) => {
    const state = states.get(tp.customerId) ?? initialCustomerState();
    const [event] = decide(recordTouchpoint(tp, ingestedAt, 'bench'), state);
    states.set(tp.customerId, evolve(state, event));
    return { stream: customerStreamName(tp.customerId), event: toNewEvent(event) };
  });
  // The store's own connection settings (WAL, synchronous=FULL): the ceiling writes as it does.
  const db = openSqlite(dbPath, 5_000);
  db.exec(SQLITE_SCHEMA);
  const insertStream = db.prepare('INSERT INTO streams (name) VALUES (?)');
  const insertEvent = db.prepare(
    'INSERT INTO events (stream_id, revision, event_id, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const streams = new Map<string, { id: number; revision: number }>();
  const insertBatch = db.transaction((from: number, to: number) => {
    const now = Date.now();
    for (let i = from; i < to; i++) {
      const { stream, event } = events[i];
      let s = streams.get(stream);
      if (!s) {
        s = { id: Number(insertStream.run(stream).lastInsertRowid), revision: -1 };
        streams.set(stream, s);
      }
      s.revision += 1;
      insertEvent.run(
        s.id,
        s.revision,
        event.id,
        event.type,
        JSON.stringify(event.data),
        JSON.stringify(event.metadata),
        now,
      );
    }
  });
  const bar = progressBar(`raw SQLite inserts${of}`, events.length);
  const start = process.hrtime.bigint();
  for (let offset = 0; offset < events.length; offset += INSERT_BATCH) {
    insertBatch(offset, Math.min(offset + INSERT_BATCH, events.length));
    bar.update(Math.min(offset + INSERT_BATCH, events.length));
  }
  const secs = seconds(start);
  bar.stop();
  db.close();
  return secs;
}

interface Round {
  readonly rawConsumeSecs: number;
  readonly rawInsertSecs: number;
  readonly endToEndSecs: number;
  /** CPU time of the ingest process(es), all threads, during the end-to-end run. */
  readonly endToEndCpuSecs: number;
  /** The same end to end with personal fields encrypted (--with-encryption). */
  readonly encryptedSecs?: number;
  readonly encryptedCpuSecs?: number;
}

/** One round's end-to-end run: where from, where to, how many. */
interface EndToEnd {
  readonly config: KafkaConfig;
  readonly topics: string[];
  readonly dbPath: string;
  readonly n: number;
  /** The round, for progress labels. */
  readonly of: string;
  readonly profile: boolean;
  readonly writer: SqliteWriterKind;
  readonly encrypted?: boolean;
  /** Identity runs: the progress label and profile name, what the write path sees of the store
   * (counted reads), and the check of what was stored (instead of reading every event back). */
  readonly name?: string;
  readonly seenAs?: (store: EventStore) => EventStore;
  readonly verify?: (dbPath: string) => void;
}

/**
 * Kafka → decode → TouchpointRecorder → SQLite, as the ingest service runs it (in --instances
 * processes): its time and CPU time. Then every event is read back. The profile, when asked
 * for, covers the consuming only.
 */
async function endToEndRun(run: EndToEnd): Promise<Timed> {
  const timed = INSTANCES === 1 ? await inThisProcess(run) : await inInstances(run);
  if (run.verify) {
    run.verify(run.dbPath);
    return timed;
  }
  const store = new SqliteEventStore({ path: run.dbPath, writer: 'inline' });
  const stored = (await store.readAll()).length;
  await store.close();
  if (stored !== run.n) throw new Error(`expected ${run.n} events, stored ${stored}`);
  return timed;
}

async function inThisProcess(run: EndToEnd): Promise<Timed> {
  const { store, recording, handler } = await ingestWritePath(
    run.dbPath,
    run.writer,
    run.encrypted,
    run.seenAs,
  );
  let dead = 0;
  const consuming = () =>
    consume(
      run.config,
      run.topics,
      `end to end (Kafka → SQLite${run.encrypted ? ', encrypted' : ''}${run.name ? `, ${run.name}` : ''})${run.of}`,
      run.n,
      async (m) => {
        const outcome = await handler.handle(m);
        dead += outcome.deadLetters.length;
        return outcome;
      },
    );
  const name = run.name
    ? `end-to-end-${run.name.replace(/[^a-z0-9]+/gi, '-')}`
    : run.encrypted
      ? 'end-to-end-encrypted'
      : 'end-to-end';
  const timed = await (run.profile ? profiled(name, consuming) : consuming());
  await recording.close();
  await store.close();
  if (dead) throw new Error(`${dead} messages were dead-lettered`);
  return timed;
}

async function inInstances(run: EndToEnd): Promise<Timed> {
  const label = `end to end (Kafka → SQLite, ${INSTANCES} instances)${run.of}`;
  const bar = progressBar(label, run.n);
  const timed = await runInstances(
    {
      config: ownGroup(run.config),
      topics: run.topics,
      dbPath: run.dbPath,
      writer: run.writer,
    },
    INSTANCES,
    run.n,
    (done) => bar.update(done),
  );
  bar.stop();
  return timed;
}

function summary(
  n: number,
  rounds: Round[],
  writer: SqliteWriterKind,
  batch: KafkaConfig['batch'],
): string[] {
  const rate = (secs: number) => n / secs;
  const lowerCeiling = (r: Round) => Math.min(rate(r.rawConsumeSecs), rate(r.rawInsertSecs));
  const ratio = (r: Round) => rate(r.endToEndSecs) / lowerCeiling(r);
  const cpuPerTouchpoint = (r: Round) => ((r.endToEndCpuSecs / n) * 1e6).toFixed(1);
  const lines =
    rounds.length > 1
      ? rounds.map(
          (r, i) =>
            `round ${i + 1}: consume ${perSecond(n, r.rawConsumeSecs)} msgs/s, SQLite ${perSecond(n, r.rawInsertSecs)} rows/s, end to end ${perSecond(n, r.endToEndSecs)} touchpoints/s = ${(ratio(r) * 100).toFixed(0)}% (CPU ${cpuPerTouchpoint(r)} µs a touchpoint)`,
        )
      : [];
  // There is at least one round (--rounds ≥ 1), so no median is null.
  const middle: Round = {
    rawConsumeSecs: median(rounds.map((r) => r.rawConsumeSecs))!,
    rawInsertSecs: median(rounds.map((r) => r.rawInsertSecs))!,
    endToEndSecs: median(rounds.map((r) => r.endToEndSecs))!,
    endToEndCpuSecs: median(rounds.map((r) => r.endToEndCpuSecs))!,
  };
  // No schedule beats the cores: the CPU a touchpoint takes bounds the end-to-end rate.
  const cores = availableParallelism();
  const cpuBound = (cores * n) / middle.endToEndCpuSecs;
  const of = rounds.length > 1 ? `median of ${rounds.length} rounds: ` : '';
  return [
    ...lines,
    `touchpoints: ${n.toLocaleString('en-US')} for ${CUSTOMERS.toLocaleString('en-US')} customers over ${TOPICS} topics × 4 partitions; ingest instances: ${INSTANCES}; SQLite writer: ${writer}; ${v8Flags()}`,
    `Kafka: batches ≤ ${batch.maxBytesPerPartition / 1024} KiB a partition, fetches ≤ ${batch.maxBytes / 1024} KiB, ${batch.partitionsConcurrently} partitions at once`,
    `raw kafkajs consume (eachBatch, no work):        ${of}${middle.rawConsumeSecs.toFixed(2)} s = ${perSecond(n, middle.rawConsumeSecs)} msgs/s`,
    `raw SQLite inserts (same events, same schema):   ${of}${middle.rawInsertSecs.toFixed(2)} s = ${perSecond(n, middle.rawInsertSecs)} rows/s (${INSERT_BATCH} per transaction)`,
    `end to end (consume, decode, record, commit):    ${of}${middle.endToEndSecs.toFixed(2)} s = ${perSecond(n, middle.endToEndSecs)} touchpoints/s`,
    `end to end CPU (ingest, all threads):            ${of}${cpuPerTouchpoint(middle)} µs a touchpoint: ${cores} cores allow at most ${Math.round(cpuBound).toLocaleString('en-US')}/s = ${((cpuBound / lowerCeiling(middle)) * 100).toFixed(0)}% of the lower ceiling`,
    `end to end / lower ceiling: ${(ratio(middle) * 100).toFixed(0)}% (target ≥ 60% and ≥ 20,000/s)`,
    ...encryptionLines(n, rounds, middle.endToEndSecs),
  ];
}

/** Encrypted against plain, per round (same messages, same round) and as medians. */
function encryptionLines(n: number, rounds: Round[], plainSecs: number): string[] {
  const encrypted = rounds.filter((r) => r.encryptedSecs !== undefined);
  if (encrypted.length === 0) return [];
  const cost = (plain: number, sealed: number) => `${((1 - plain / sealed) * 100).toFixed(1)}%`;
  const µs = (cpuSecs: number) => ((cpuSecs / n) * 1e6).toFixed(1);
  const secs = median(encrypted.map((r) => r.encryptedSecs!))!;
  const cpu = median(encrypted.map((r) => r.encryptedCpuSecs!))!;
  const plainCpu = median(rounds.map((r) => r.endToEndCpuSecs))!;
  return [
    ...encrypted.map(
      (r, i) =>
        `round ${i + 1}: encrypted ${perSecond(n, r.encryptedSecs!)} touchpoints/s vs plain ${perSecond(n, r.endToEndSecs)}: cost ${cost(r.endToEndSecs, r.encryptedSecs!)}; CPU ${µs(r.encryptedCpuSecs!)} vs ${µs(r.endToEndCpuSecs)} µs a touchpoint`,
    ),
    `end to end, personal fields encrypted:           ${secs.toFixed(2)} s = ${perSecond(n, secs)} touchpoints/s: throughput cost ${cost(plainSecs, secs)} (target ≤ 15%)`,
    `CPU a touchpoint, encrypted vs plain (medians):  ${µs(cpu)} vs ${µs(plainCpu)} µs: +${(((cpu - plainCpu) / plainCpu) * 100).toFixed(1)}% (the CPU-bound rate falls by ${cost(plainCpu, cpu)})`,
  ];
}

/**
 * Identity mode: publishes the touchpoints with identifiers (and, to compare, without, on
 * topics of their own), seeds one store per known count once, then runs end to end on a copy
 * of it per run, each round in the other order, checking what each run stored.
 */
async function identityRounds(setup: {
  config: KafkaConfig;
  writer: SqliteWriterKind;
  dir: string;
  topics: string[];
  touchpoints: Touchpoint[];
  plan: IdentityPlan;
}): Promise<string[]> {
  const { config, writer, dir, topics, plan } = setup;
  const n = setup.touchpoints.length;
  const identified = withIdentifiers(setup.touchpoints, plan);
  const expected = expectationOf(identified);
  const identifiedTopics = topics.map((topic) => `${topic}-identified`);
  if (COMPARE_IDENTIFIERS) await publishAll(config, topics, setup.touchpoints);
  await publishAll(config, identifiedTopics, identified as Touchpoint[]);
  setup.touchpoints.length = 0;
  identified.length = 0;

  const templates = new Map<number, { path: string; linked: number }>();
  for (const known of KNOWN_IDENTIFIERS) {
    if (templates.has(known)) continue;
    const path = join(dir, `seeded-${known}.db`);
    const total = CUSTOMERS * plan.identifiers + known;
    const bar = progressBar(`seed ${total.toLocaleString('en-US')} links`, total);
    const started = process.hrtime.bigint();
    const linked = await seedIdentityStore(path, writer, CUSTOMERS, plan, known, (l) =>
      bar.update(l),
    );
    bar.stop();
    process.stderr.write(
      `seeded ${linked.toLocaleString('en-US')} links (${known.toLocaleString('en-US')} of other profiles) in ${seconds(started).toFixed(1)} s\n`,
    );
    templates.set(known, { path, linked });
  }

  const variants: { known: number; identified: boolean }[] = [
    ...(COMPARE_IDENTIFIERS ? [{ known: KNOWN_IDENTIFIERS[0], identified: false }] : []),
    ...KNOWN_IDENTIFIERS.map((known) => ({ known, identified: true })),
  ];
  const runs: IdentityRun[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const order = round % 2 === 1 ? variants : [...variants].reverse();
    for (const variant of order) {
      const template = templates.get(variant.known)!;
      const dbPath = join(dir, `events-${round}-${variant.known}-${variant.identified}.db`);
      copyStore(template.path, dbPath);
      const counter = new StoreCallCounter();
      const name = variant.identified
        ? `${plan.identifiers} identifiers, ${variant.known} known`
        : 'no identifiers';
      const timed = await endToEndRun({
        config,
        topics: variant.identified ? identifiedTopics : topics,
        dbPath,
        n,
        of: ROUNDS > 1 ? ` (round ${round}/${ROUNDS})` : '',
        profile: round === 1,
        writer,
        name,
        seenAs: (store) => counter.wrap(store),
        verify: (path) => {
          const stored = countStored(path);
          const links = template.linked + (variant.identified ? expected.newLinks : 0);
          if (stored.customerEvents !== n || stored.identifierLinks !== links || stored.graphEvents)
            throw new Error(
              `${name}: expected ${n} customer events, ${links} links, no graph events; stored ${JSON.stringify(stored)}`,
            );
        },
      });
      rmSync(dbPath, { force: true });
      for (const suffix of ['-wal', '-shm']) rmSync(`${dbPath}${suffix}`, { force: true });
      runs.push({
        round,
        ...variant,
        ...timed,
        identifierReads: counter.reads,
        appendCalls: counter.appendCalls,
        appendedEvents: counter.appendedEvents,
      });
    }
  }
  return identitySummary({
    n,
    customers: CUSTOMERS,
    topics: TOPICS,
    writer,
    flags: v8Flags(),
    plan,
    expected,
    runs,
  });
}

async function main(): Promise<void> {
  Logger.overrideLogger(['error']);
  const dir = mkdtempSync(join(tmpdir(), 'rapport-bench-kafka-'));
  const mock = process.env.KAFKA_BROKERS ? undefined : await startMock();
  try {
    const brokers = process.env.KAFKA_BROKERS ?? mock!.value;
    // The environment's KAFKA_* batch limits and SQLITE_WRITER apply, as in the ingest service.
    const loaded = loadConfig({
      ...process.env,
      KAFKA_BROKERS: brokers,
      KAFKA_MAX_WAIT_MS: process.env.KAFKA_MAX_WAIT_MS ?? '100',
    });
    const config = loaded.kafka!;
    if (loaded.eventStore.kind !== 'sqlite') throw new Error('the benchmark measures SQLite');
    const { writer } = loaded.eventStore;
    const run = randomUUID().slice(0, 8);
    const topics = Array.from({ length: TOPICS }, (_, t) => `bench-${run}-${t}`);
    const touchpoints = generate();
    process.stderr.write(
      `broker: ${mock ? 'librdkafka mock cluster (kcat)' : brokers}; ${TOPICS} topics\n`,
    );
    if (IDENTIFIERS > 0) {
      const plan = { identifiers: IDENTIFIERS as 1 | 2, newLinkShare: NEW_LINK_SHARE };
      const lines = await identityRounds({ config, writer, dir, topics, touchpoints, plan });
      process.stdout.write(`${lines.join('\n')}\n`);
      return;
    }
    await publishAll(config, topics, touchpoints);
    const n = touchpoints.length;
    touchpoints.length = 0; // no round should carry the generator's heap

    const rounds: Round[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const of = ROUNDS > 1 ? ` (round ${round}/${ROUNDS})` : '';
      const { secs: rawConsumeSecs } = await consume(
        config,
        topics,
        `raw kafkajs consume${of}`,
        n,
        async () => ({ deadLetters: [] }),
      );
      const rawInsertSecs = rawInserts(join(dir, `raw-${round}.db`), of);
      const plainRun = () =>
        endToEndRun({
          config,
          topics,
          dbPath: join(dir, `events-${round}.db`),
          n,
          of,
          profile: round === 1,
          writer,
        });
      const encryptedRun = () =>
        endToEndRun({
          config,
          topics,
          dbPath: join(dir, `encrypted-${round}.db`),
          n,
          of,
          profile: round === 1,
          writer,
          encrypted: true,
        });
      // Plain and encrypted take turns at going first: the first end-to-end run of the process
      // is the one that warms the JIT up, and each later one meets the heap the other left.
      const encryptedFirst = WITH_ENCRYPTION && round % 2 === 0;
      const early = encryptedFirst ? await encryptedRun() : undefined;
      const endToEnd = await plainRun();
      const encrypted = WITH_ENCRYPTION ? (early ?? (await encryptedRun())) : undefined;
      rounds.push({
        rawConsumeSecs,
        rawInsertSecs,
        endToEndSecs: endToEnd.secs,
        endToEndCpuSecs: endToEnd.cpuSecs,
        ...(encrypted
          ? { encryptedSecs: encrypted.secs, encryptedCpuSecs: encrypted.cpuSecs }
          : {}),
      });
    }
    process.stdout.write(`${summary(n, rounds, writer, config.batch).join('\n')}\n`);
  } finally {
    await mock?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

void main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
