import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { namesCustomer, type IncomingTouchpoint, type Touchpoint } from '@rapport/domain';
import { EVENT_STORE, type AppendRequest, type EventStore } from '@rapport/event-store';
import {
  DEFAULT_IDENTITY_RULES,
  IDENTITY_GRAPH_STREAM,
  decideIdentityStep,
  identifierStreamName,
  identifyQuestion,
  isSettled,
  profileIndexStreamName,
  type IdentifierIndexed,
  type IdentifyCall,
  type IdentityEvent,
  type IdentityQuestion,
  type IdentityRules,
  type IdentityStep,
} from '@rapport/identity';
import { IDENTIFIER_DIGEST_KEY, IdentifierDigester } from './identifier-digester';
import { IdentityGraphCache } from './identity-graph.cache';
import { identityNewEvent } from './identity-new-event';
import { Recorded, type LinkResult } from './identity-recorded';
import { TentativeLinks, type TentativeGroup } from './tentative-links';

export const IDENTITY_RULES = Symbol('IDENTITY_RULES');
/** Most identifier links one instance keeps cached (IdentityGraphCache). */
export const IDENTITY_CACHE_CAPACITY = Symbol('IDENTITY_CACHE_CAPACITY');

/** The graph moved under us (another instance decided about the same identifiers) too often. */
export class IdentityRetriesExhaustedError extends Error {
  readonly code = 'IDENTITY_RETRIES_EXHAUSTED';
  readonly retryable = true;
  constructor(attempts: number) {
    super(`the identity graph kept changing during ${attempts} attempts`);
    this.name = 'IdentityRetriesExhaustedError';
  }
}

/** A resolution of touchpoints, before their append (IdentityResolver.resolveForAppend). */
export interface Resolution {
  readonly touchpoints: Touchpoint[];
  /** Identity appends the answers rely on: first in the touchpoints' appendMany, as its prerequisites. */
  readonly prerequisites: readonly AppendRequest[];
  /** Whether the prerequisites were all accepted (false also when the append failed). */
  settled(accepted: boolean): void;
}

interface Settled {
  readonly profiles: string[];
  readonly prerequisites: readonly AppendRequest[];
  /** This resolution's own links, in flight until settled. */
  readonly group?: TentativeGroup;
}

interface InTurn extends LinkResult {
  readonly prerequisites: readonly AppendRequest[];
  readonly group?: TentativeGroup;
}

const MAX_ATTEMPTS = 5;
/** Steps of one attempt: each records links, or one merge per touchpoint, or refusals. */
const MAX_ROUNDS = 25;

/**
 * Resolves touchpoints that name their customer by identifiers to the profile (customer
 * stream) they land on, recording links, merges and refusals first (libs/identity decides,
 * this appends). Links go to one stream per identifier at `no_stream`, graph events to the
 * graph stream at the revision decided on: two instances deciding about one identifier at once
 * cannot both win; the loser's append is refused, it reloads and decides again. Touchpoints
 * that name only a customerId pass through untouched, with no read or write.
 */
@Injectable()
export class IdentityResolver {
  private readonly logger = new Logger(IdentityResolver.name);
  private readonly cache: IdentityGraphCache;
  private readonly digester: IdentifierDigester;
  private readonly rules: IdentityRules;
  private readonly tentative = new TentativeLinks();
  /** One resolution at a time in this instance: they share the cached graph. */
  private turn: Promise<unknown> = Promise.resolve();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Optional() @Inject(IDENTITY_RULES) rules?: IdentityRules,
    @Optional() @Inject(IDENTIFIER_DIGEST_KEY) key?: Buffer,
    @Optional() @Inject(IDENTITY_CACHE_CAPACITY) cacheCapacity?: number,
  ) {
    this.cache = new IdentityGraphCache(cacheCapacity);
    this.rules = rules ?? DEFAULT_IDENTITY_RULES;
    this.digester = new IdentifierDigester(key);
  }

  /**
   * Each touchpoint with the customer stream it lands on, in the order given, and the identity
   * appends it relies on, to be appended first in the touchpoints' own appendMany as its
   * prerequisites (one write transaction on SQLite). The caller must then call `settled` with
   * whether they were all accepted; refused, the touchpoints must not be appended (the store
   * refuses them with the prerequisites) and are resolved again.
   */
  async resolveForAppend(touchpoints: readonly IncomingTouchpoint[]): Promise<Resolution> {
    const asking: number[] = [];
    touchpoints.forEach((t, i) => {
      if (t.identifiers?.length || !namesCustomer(t)) asking.push(i);
    });
    if (asking.length === 0)
      return { touchpoints: touchpoints as Touchpoint[], prerequisites: [], settled: () => {} };
    const { answers, prerequisites, group } = await this.inTurn(
      asking.map((i) => this.questionOf(touchpoints[i])),
      true,
    );
    const resolved = [...touchpoints] as Touchpoint[];
    asking.forEach((i, k) => {
      resolved[i] = { ...touchpoints[i], customerId: answers[k].profileId } as Touchpoint;
    });
    return { touchpoints: resolved, prerequisites, settled: (ok) => this.settled(group, ok) };
  }

  /** Resolves and appends what the answer relies on, alone (no touchpoint appended with it). */
  async resolve(touchpoints: readonly IncomingTouchpoint[]): Promise<Touchpoint[]> {
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const resolution = await this.resolveForAppend(touchpoints);
      const { prerequisites } = resolution;
      let ok = true;
      try {
        if (prerequisites.length)
          ok = (await this.store.appendMany(prerequisites)).every((outcome) => outcome.ok);
      } catch (error) {
        resolution.settled(false);
        throw error;
      }
      resolution.settled(ok);
      if (ok) return resolution.touchpoints;
    }
    throw new IdentityRetriesExhaustedError(MAX_ATTEMPTS);
  }

  /** After the caller's append: links accepted are stored; refused, the cache is read afresh. */
  private settled(group: TentativeGroup | undefined, accepted: boolean): void {
    if (accepted) {
      if (group) this.tentative.release(group);
      return;
    }
    // Even with no link of its own: what it copied lost, and the cache still holds it.
    this.turn = this.turn.then(() => this.resetCache());
  }

  private resetCache(): void {
    this.cache.reset();
    this.tentative.clear();
  }

  /**
   * Links the identifiers of identify calls (no touchpoint): each call's profile and what it
   * recorded, in the order given. A call whose links the graph already holds (the same
   * messageId again, or known links repeated) records nothing.
   */
  async link(calls: readonly IdentifyCall[]): Promise<LinkResult> {
    if (calls.length === 0) return { answers: [], position: -1n };
    const { answers, position } = await this.inTurn(
      calls.map((call) => identifyQuestion(call, (i) => this.digester.digest(i))),
      false,
    );
    return { answers, position };
  }

  private inTurn(questions: readonly IdentityQuestion[], defer: boolean): Promise<InTurn> {
    const turn = this.turn.then(() => this.resolveInTurn(questions, defer));
    this.turn = turn.catch(() => undefined);
    return turn;
  }

  private async resolveInTurn(
    questions: readonly IdentityQuestion[],
    defer: boolean,
  ): Promise<InTurn> {
    if (this.cache.makeRoom()) {
      this.tentative.clear();
      this.logger.debug(`identity graph cache over ${this.cache.capacity} links; reading afresh`);
    }
    // Kept across attempts: what an earlier attempt's accepted appends recorded stays recorded.
    const records = new Recorded(questions.length);
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      try {
        await this.catchUp(questions);
        const settled = await this.settle(questions, records, defer);
        if (settled) {
          const { profiles, prerequisites, group } = settled;
          return {
            answers: records.answers(profiles),
            position: records.position,
            prerequisites,
            group,
          };
        }
      } catch (error) {
        // What was folded in ahead of the appends may not be in the store: start again from it.
        this.resetCache();
        throw error;
      }
      this.logger.debug(`identity graph moved during attempt ${attempt}; deciding again`);
      this.resetCache();
    }
    throw new IdentityRetriesExhaustedError(MAX_ATTEMPTS);
  }

  private questionOf(touchpoint: IncomingTouchpoint): IdentityQuestion {
    return {
      ...(touchpoint.customerId === undefined ? {} : { customerId: touchpoint.customerId }),
      identifiers: (touchpoint.identifiers ?? []).map((identifier) => ({
        ...identifier,
        digest: this.digester.digest(identifier),
      })),
      evidence: {
        source: touchpoint.source,
        touchpointId: touchpoint.touchpointId,
        occurredAt: touchpoint.occurredAt,
      },
    };
  }

  /** The graph stream's new events, and the links of identifiers not met before. */
  private async catchUp(questions: readonly IdentityQuestion[]): Promise<void> {
    const fromRevision = this.cache.revision + 1n;
    const unseen = new Set<string>();
    for (const q of questions)
      for (const i of q.identifiers)
        if (!this.cache.graph.links.has(i.digest)) unseen.add(i.digest);
    const [graphEvents, ...links] = await Promise.all([
      this.store.readStream(IDENTITY_GRAPH_STREAM, { fromRevision }),
      ...[...unseen].map((digest) => this.store.readStream(identifierStreamName(digest))),
    ]);
    this.cache.fold(graphEvents);
    if (graphEvents.length) this.cache.revision = graphEvents[graphEvents.length - 1].revision;
    for (const stream of links) this.cache.fold(stream);
  }

  /**
   * Decides step after step for every question, folding each decision in before the next
   * question (so two touchpoints of a batch naming one new identifier link it once). Each
   * round's decisions are appended together, but for the last round's links, when `defer`:
   * those are handed to the caller, to go first in the touchpoints' own append. Undefined when
   * an append was refused.
   */
  private async settle(
    questions: readonly IdentityQuestion[],
    records: Recorded,
    defer: boolean,
  ): Promise<Settled | undefined> {
    /** Links decided in the previous round, appended only once it is known to be the last. */
    let held: { requests: AppendRequest[]; steps: Array<IdentityStep | undefined> } | undefined;
    let countedLinks = false;
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const steps: Array<IdentityStep | undefined> = [];
      const links = new Map<string, AppendRequest>();
      const indexed = new Map<string, IdentifierIndexed[]>();
      const graphEvents: IdentityEvent[] = [];
      const profiles: string[] = [];
      for (const question of questions) {
        const step = decideIdentityStep(question, this.cache.graph, this.rules);
        profiles.push(step.profileId);
        steps.push(isSettled(step) ? undefined : step);
        if (isSettled(step)) continue;
        for (const link of step.links) {
          links.set(link.data.digest, {
            streamName: identifierStreamName(link.data.digest),
            expectedRevision: 'no_stream',
            events: [identityNewEvent(link)],
          });
          const { customerId, identifierType, digest } = link.data;
          const entries = indexed.get(customerId) ?? [];
          entries.push({ type: 'IdentifierIndexed', data: { customerId, identifierType, digest } });
          indexed.set(customerId, entries);
        }
        graphEvents.push(...step.graphEvents);
        this.cache.apply([...step.links, ...step.graphEvents]);
      }
      if (links.size === 0 && graphEvents.length === 0) {
        const copies = this.tentative.copiesFor(digestsOf(questions), countedLinks);
        if (!held) return { profiles, prerequisites: copies };
        records.add(held.steps, []);
        const prerequisites = [...copies, ...held.requests];
        const group = this.tentative.hold(prerequisites, linkedDigests(held.steps));
        return { profiles, prerequisites, group };
      }
      // The profile's index first, in the same call: on SQLite one transaction holds them
      // all; elsewhere an entry whose link then loses is harmless (readers check the link).
      const requests: AppendRequest[] = [...indexed].map(([profileId, entries]) => ({
        streamName: profileIndexStreamName(profileId),
        expectedRevision: 'any',
        events: entries.map(identityNewEvent),
      }));
      requests.push(...links.values());
      if (held) {
        if (!(await this.appendRound(held.requests, held.steps, questions, records, countedLinks)))
          return undefined;
        held = undefined;
      }
      if (defer && graphEvents.length === 0) {
        held = { requests, steps };
        continue;
      }
      if (graphEvents.length) {
        // A merge or a refusal counts a profile's links: every link in flight may matter.
        countedLinks = true;
        requests.push({
          streamName: IDENTITY_GRAPH_STREAM,
          expectedRevision: this.cache.revision < 0n ? 'no_stream' : this.cache.revision,
          events: graphEvents.map(identityNewEvent),
        });
      }
      if (!(await this.appendRound(requests, steps, questions, records, countedLinks)))
        return undefined;
    }
    throw new IdentityRetriesExhaustedError(MAX_ROUNDS);
  }

  /**
   * One round's appends, after copies of the links in flight that the questions rely on: if
   * one of those lost its race, nothing of this round is written. False when anything was
   * refused.
   */
  private async appendRound(
    requests: readonly AppendRequest[],
    steps: ReadonlyArray<IdentityStep | undefined>,
    questions: readonly IdentityQuestion[],
    records: Recorded,
    everything: boolean,
  ): Promise<boolean> {
    const copies = this.tentative.copiesFor(digestsOf(questions), everything);
    // The whole round as prerequisites, so all of it or none (on SQLite): a link won beside one
    // that lost would stay with the profile this round chose, and the next attempt merge it.
    const outcomes = await this.store.appendMany([...copies, ...requests], {
      prerequisites: copies.length + requests.length,
    });
    if (outcomes.some((o) => !o.ok)) return false;
    const own = copies.length ? outcomes.slice(copies.length) : outcomes;
    records.add(steps, own);
    const last = own[own.length - 1];
    const graphStream = requests[requests.length - 1].streamName === IDENTITY_GRAPH_STREAM;
    if (graphStream && last.ok) this.cache.revision = last.result.nextExpectedRevision;
    return true;
  }
}

function* digestsOf(questions: readonly IdentityQuestion[]): Iterable<string> {
  for (const question of questions)
    for (const identifier of question.identifiers) yield identifier.digest;
}

function linkedDigests(steps: ReadonlyArray<IdentityStep | undefined>): string[] {
  const digests: string[] = [];
  for (const step of steps) if (step) for (const link of step.links) digests.push(link.data.digest);
  return digests;
}
