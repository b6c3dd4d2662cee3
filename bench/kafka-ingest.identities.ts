/**
 * bench:kafka with identity resolution (issue 30 item 10): touchpoints that carry identifiers
 * besides their customerId, some of them not yet linked, over a store that already knows many
 * identifiers. Every touchpoint keeps its customerId (a logged-in customer, as a web shop's
 * userId) so that it lands on the same stream as without identifiers and the two runs append
 * the same customer events; the resolver still digests, looks up and links every identifier.
 *
 *   --identifiers 1   the customer's anonymousId (one browser or device)
 *   --identifiers 2   the customer's email and anonymousId
 *   --new-link-share s   that share of touchpoints carries a fresh anonymousId instead of the
 *     customer's usual one (a new browser): it is linked to the customer's profile on the way
 *   --known-identifiers n[,m]   n identifiers of other profiles (an email and an anonymousId
 *     each) are linked in the store before each end-to-end run, besides the bench customers'
 *     own usual identifiers, which are always linked first (so only the fresh ones are new)
 */
import { copyFileSync, existsSync } from 'node:fs';
import type { Identifier, IncomingTouchpoint, Touchpoint } from '@rapport/domain';
import {
  SqliteEventStore,
  type AppendRequest,
  type EventStore,
  type SqliteEventStoreOptions,
} from '@rapport/event-store';
import {
  identifierStreamName,
  profileIndexStreamName,
  type IdentifierIndexed,
  type IdentifierLinked,
} from '@rapport/identity';
import { IdentifierDigester } from '@rapport/recording';
import { openSqlite } from '../libs/event-store/src/sqlite/sqlite.connection';
import { identityNewEvent } from '../libs/recording/src/identity/identity-new-event';
import { seededRandom } from './bench-support';

export interface IdentityPlan {
  /** Identifiers each touchpoint carries besides its customerId: 1 or 2. */
  readonly identifiers: 1 | 2;
  /** Share of touchpoints carrying an anonymousId not linked before (0–1). */
  readonly newLinkShare: number;
}

/** The customer's usual identifiers, linked before the measured run. */
export function usualIdentifiers(customerId: string, plan: IdentityPlan): Identifier[] {
  const anonymous = { type: 'anonymousId', value: `anon-${customerId}` };
  if (plan.identifiers === 1) return [anonymous];
  return [{ type: 'email', value: `${customerId.toLowerCase()}@bench.example` }, anonymous];
}

/**
 * The identifiers of each touchpoint, in order: its customer's usual ones, or (a `newLinkShare`
 * of them, drawn from a seeded generator of its own, so the touchpoints themselves stay those
 * of the plain run) a fresh anonymousId named by the touchpoint, linked by that touchpoint.
 */
export function identifiersOfTouchpoints(
  touchpoints: readonly Pick<Touchpoint, 'customerId' | 'touchpointId'>[],
  plan: IdentityPlan,
  seed = 30,
): Identifier[][] {
  const random = seededRandom(seed);
  return touchpoints.map((tp) => {
    const usual = usualIdentifiers(tp.customerId, plan);
    if (random() >= plan.newLinkShare) return usual;
    return [...usual.slice(0, -1), { type: 'anonymousId', value: `anon-${tp.touchpointId}` }];
  });
}

export function withIdentifiers(
  touchpoints: readonly Touchpoint[],
  plan: IdentityPlan,
): IncomingTouchpoint[] {
  const identifiers = identifiersOfTouchpoints(touchpoints, plan);
  return touchpoints.map((tp, i) => ({ ...tp, identifiers: identifiers[i] }));
}

/** What the bench expects from one identity run, to check the store after it. */
export interface IdentityExpectation {
  /** Identifier look-ups the resolver makes: every identifier of every touchpoint. */
  readonly lookups: number;
  /** Fresh identifiers: each must end as exactly one new link. */
  readonly newLinks: number;
  readonly touchpointsWithNewLink: number;
}

export function expectationOf(touchpoints: readonly IncomingTouchpoint[]): IdentityExpectation {
  let lookups = 0;
  const fresh = new Set<string>();
  let touchpointsWithNewLink = 0;
  for (const tp of touchpoints) {
    lookups += tp.identifiers?.length ?? 0;
    const anonymous = tp.identifiers?.find((i) => i.type === 'anonymousId');
    if (anonymous && anonymous.value !== `anon-${tp.customerId}`) {
      fresh.add(anonymous.value);
      touchpointsWithNewLink += 1;
    }
  }
  return { lookups, newLinks: fresh.size, touchpointsWithNewLink };
}

/** One link as the resolver records it: the identifier's stream at no_stream, and its index. */
function linkOf(
  digester: IdentifierDigester,
  profileId: string,
  identifier: Identifier,
  seedNo: number,
): { link: IdentifierLinked; indexed: IdentifierIndexed } {
  const digest = digester.digest(identifier);
  return {
    link: {
      type: 'IdentifierLinked',
      data: {
        customerId: profileId,
        identifierType: identifier.type,
        digest,
        value: identifier.value,
        evidence: {
          source: 'bench-seed',
          touchpointId: `seed-${seedNo}`,
          occurredAt: '2025-12-31T00:00:00.000Z',
        },
      },
    },
    indexed: {
      type: 'IdentifierIndexed',
      data: { customerId: profileId, identifierType: identifier.type, digest },
    },
  };
}

/** Each profile's identifiers to link, generated lazily (a million need not sit in memory). */
function* profilesToLink(
  customers: number,
  plan: IdentityPlan,
  known: number,
): Generator<[string, Identifier[]]> {
  for (let c = 0; c < customers; c++) {
    const customerId = `C-${c}`;
    yield [customerId, usualIdentifiers(customerId, plan)];
  }
  // Other profiles: an email and an anonymousId each (the last one may hold only the email).
  for (let k = 0; k < known; k += 2) {
    const profileId = `K-${k / 2}`;
    const identifiers: Identifier[] = [{ type: 'email', value: `k-${k / 2}@known.example` }];
    if (k + 1 < known) identifiers.push({ type: 'anonymousId', value: `anon-K-${k / 2}` });
    yield [profileId, identifiers];
  }
}

/** Links appended per call: one call is one transaction of the store's writer. */
const SEED_LINKS_PER_CALL = 5_000;

/**
 * Writes a store in which the bench customers' usual identifiers and `known` others are linked,
 * through the event store itself (appendMany, as the resolver appends, not through Kafka): the
 * same events, digests and streams the resolver would have written. Reports progress in links.
 */
export async function seedIdentityStore(
  dbPath: string,
  writer: NonNullable<SqliteEventStoreOptions['writer']>,
  customers: number,
  plan: IdentityPlan,
  known: number,
  progress: (linked: number) => void,
): Promise<number> {
  const store = new SqliteEventStore({ path: dbPath, writer });
  const digester = new IdentifierDigester();
  let linked = 0;
  let requests: AppendRequest[] = [];
  let inCall = 0;
  const flush = async () => {
    if (requests.length === 0) return;
    const outcomes = await store.appendMany(requests);
    const refused = outcomes.find((o) => !o.ok);
    if (refused && !refused.ok)
      throw new Error('seeding the identity store', { cause: refused.error });
    linked += inCall;
    progress(linked);
    requests = [];
    inCall = 0;
  };
  try {
    for (const [profileId, identifiers] of profilesToLink(customers, plan, known)) {
      const index: IdentifierIndexed[] = [];
      for (const identifier of identifiers) {
        const { link, indexed } = linkOf(digester, profileId, identifier, linked + inCall);
        requests.push({
          streamName: identifierStreamName(link.data.digest),
          expectedRevision: 'no_stream',
          events: [identityNewEvent(link)],
        });
        index.push(indexed);
        inCall += 1;
      }
      requests.push({
        streamName: profileIndexStreamName(profileId),
        expectedRevision: 'any',
        events: index.map(identityNewEvent),
      });
      if (inCall >= SEED_LINKS_PER_CALL) await flush();
    }
    await flush();
  } finally {
    await store.close();
  }
  return linked;
}

/** A fresh copy of a seeded store for one run (the WAL too, if the close left one). */
export function copyStore(from: string, to: string): void {
  copyFileSync(from, to);
  if (existsSync(`${from}-wal`)) copyFileSync(`${from}-wal`, `${to}-wal`);
}

/** What a run left in the store, counted with SQL (reading a million links back is slow). */
export interface StoredCounts {
  readonly customerEvents: number;
  readonly identifierLinks: number;
  readonly graphEvents: number;
}

export function countStored(dbPath: string): StoredCounts {
  const db = openSqlite(dbPath, 5_000);
  try {
    const count = (where: string) =>
      (
        db
          .prepare(
            `SELECT count(*) AS n FROM events JOIN streams ON streams.id = events.stream_id WHERE ${where}`,
          )
          .get() as { n: number }
      ).n;
    return {
      customerEvents: count(`streams.name LIKE 'customer-%'`),
      identifierLinks: count(`events.type = 'IdentifierLinked'`),
      graphEvents: count(`streams.name = 'identity-graph'`),
    };
  } finally {
    db.close();
  }
}

/**
 * What the write path asks of the store: identifier-stream reads (the resolver reads one for
 * every identifier its cache lacks) and appendMany calls.
 */
export class StoreCallCounter {
  reads = 0;
  /** appendMany calls (each one write transaction, or a share of a group commit) and events. */
  appendCalls = 0;
  appendedEvents = 0;

  /** The store, counting its identifier-stream reads (index streams are not look-ups). */
  wrap(store: EventStore): EventStore {
    const prefix = identifierStreamName('');
    const indexPrefix = profileIndexStreamName('');
    const readStream: EventStore['readStream'] = (name, options) => {
      if (name.startsWith(prefix) && !name.startsWith(indexPrefix)) this.reads += 1;
      return store.readStream(name, options);
    };
    const appendMany: EventStore['appendMany'] = (requests, options) => {
      this.appendCalls += 1;
      for (const request of requests) this.appendedEvents += request.events.length;
      return store.appendMany(requests, options);
    };
    return new Proxy(store, {
      get: (target, property) => {
        if (property === 'readStream') return readStream;
        if (property === 'appendMany') return appendMany;
        const value: unknown = Reflect.get(target, property, target);
        return typeof value === 'function' ? (value as () => unknown).bind(target) : value;
      },
    });
  }
}

/** One end-to-end run of identity mode. */
export interface IdentityRun {
  readonly round: number;
  readonly known: number;
  /** False: the same touchpoints without identifiers (--compare-identifiers). */
  readonly identified: boolean;
  readonly secs: number;
  readonly cpuSecs: number;
  readonly identifierReads: number;
  readonly appendCalls: number;
  readonly appendedEvents: number;
}

export interface IdentitySummaryInput {
  readonly n: number;
  readonly customers: number;
  readonly topics: number;
  readonly writer: string;
  readonly flags: string;
  readonly plan: IdentityPlan;
  readonly expected: IdentityExpectation;
  readonly runs: readonly IdentityRun[];
}

function middle(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const half = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[half] : (sorted[half - 1] + sorted[half]) / 2;
}

const percent = (ratio: number) => `${(ratio * 100).toFixed(1)}%`;

/**
 * Per run: touchpoints/s, CPU µs a touchpoint, identifier-stream reads and the cache's hit rate;
 * then medians per variant, and the ratios that issue 30 item 10 bounds, per round (the runs
 * of one round ran back to back) and of the medians.
 */
export function identitySummary(input: IdentitySummaryInput): string[] {
  const { n, plan, expected, runs } = input;
  const rate = (r: IdentityRun) => n / r.secs;
  const µs = (r: IdentityRun) => (r.cpuSecs / n) * 1e6;
  const hitRate = (r: IdentityRun) => 1 - r.identifierReads / expected.lookups;
  const nameOf = (identified: boolean, known: number) =>
    identified
      ? `${plan.identifiers} identifier${plan.identifiers > 1 ? 's' : ''}, ${known.toLocaleString('en-US')} known`
      : 'no identifiers';
  const describe = (r: IdentityRun) =>
    `${Math.round(rate(r)).toLocaleString('en-US')} touchpoints/s, CPU ${µs(r).toFixed(1)} µs a touchpoint, ${r.appendCalls.toLocaleString('en-US')} appendMany calls (${r.appendedEvents.toLocaleString('en-US')} events)` +
    (r.identified
      ? `, ${r.identifierReads.toLocaleString('en-US')} identifier reads (cache hit rate ${percent(hitRate(r))})`
      : '');
  const lines = runs.map(
    (r) => `round ${r.round}, ${nameOf(r.identified, r.known)}: ${describe(r)}`,
  );
  lines.push(
    `touchpoints: ${n.toLocaleString('en-US')} for ${input.customers.toLocaleString('en-US')} customers over ${input.topics} topics × 4 partitions; SQLite writer: ${input.writer}; ${input.flags}`,
    `identifiers: ${plan.identifiers} a touchpoint besides its customerId (${plan.identifiers === 2 ? 'email and anonymousId' : 'anonymousId'}); ${expected.touchpointsWithNewLink.toLocaleString('en-US')} touchpoints (${percent(expected.touchpointsWithNewLink / n)}) carry a new anonymousId; ${expected.lookups.toLocaleString('en-US')} identifier look-ups a run`,
  );
  const variants = [...new Map(runs.map((r) => [`${r.identified}/${r.known}`, r])).values()];
  const medians = new Map<string, { rate: number; µs: number }>();
  for (const v of variants) {
    const same = runs.filter((r) => r.identified === v.identified && r.known === v.known);
    const m = { rate: middle(same.map(rate)), µs: middle(same.map(µs)) };
    medians.set(`${v.identified}/${v.known}`, m);
    const hits = middle(same.filter((r) => r.identified).map(hitRate));
    lines.push(
      `${nameOf(v.identified, v.known).padEnd(34)} median of ${same.length}: ${Math.round(m.rate).toLocaleString('en-US')} touchpoints/s, CPU ${m.µs.toFixed(1)} µs a touchpoint${v.identified ? `, cache hit rate ${percent(hits)}` : ''}`,
    );
  }
  const byRound = (identified: boolean, known: number) =>
    new Map(
      runs.filter((r) => r.identified === identified && r.known === known).map((r) => [r.round, r]),
    );
  const compare = (
    title: string,
    base: [boolean, number],
    other: [boolean, number],
    target: string,
  ) => {
    const a = byRound(...base);
    const b = byRound(...other);
    const rounds = [...a.keys()].filter((round) => b.has(round));
    const perRound = rounds.map((round) => {
      const [x, y] = [a.get(round)!, b.get(round)!];
      return `round ${round}: ${percent(rate(y) / rate(x))} throughput, CPU ${µs(y).toFixed(1)} vs ${µs(x).toFixed(1)} µs (${signed(µs(y) / µs(x) - 1)})`;
    });
    const [ma, mb] = [
      medians.get(`${base[0]}/${base[1]}`)!,
      medians.get(`${other[0]}/${other[1]}`)!,
    ];
    lines.push(
      `${title}: ${perRound.join('; ')}`,
      `${title}, medians: throughput ${percent(mb.rate / ma.rate)}, CPU a touchpoint ${signed(mb.µs / ma.µs - 1)} (${target})`,
    );
  };
  const known = [...new Set(runs.filter((r) => r.identified).map((r) => r.known))];
  if (runs.some((r) => !r.identified))
    compare(
      `with ${plan.identifiers} identifier${plan.identifiers > 1 ? 's' : ''} vs without`,
      [false, known[0]],
      [true, known[0]],
      'target: throughput ≥ 70%',
    );
  if (known.length > 1)
    compare(
      `${known[known.length - 1].toLocaleString('en-US')} known vs ${known[0].toLocaleString('en-US')}`,
      [true, known[0]],
      [true, known[known.length - 1]],
      'target: CPU a touchpoint within +10%',
    );
  return lines;
}

function signed(ratio: number): string {
  return `${ratio >= 0 ? '+' : ''}${(ratio * 100).toFixed(1)}%`;
}
