import type { IncomingTouchpoint, Touchpoint } from '@rapport/domain';
import type { EventStore, RecordedEvent } from '@rapport/event-store';
import {
  derivedProfileId,
  foldIdentityGraph,
  IDENTITY_GRAPH_STREAM,
  isIdentityEvent,
  partitionOf,
  type IdentifyCall,
  type IdentityEvent,
} from '@rapport/identity';
import { CustomerStateCache } from '../customer-state.cache';
import { groupByCustomer } from '../group-by-customer';
import { IdentifierDigester } from '../identity/identifier-digester';
import { IdentityResolver } from '../identity/identity-resolver';
import { LinkIdentifiersCommand } from '../identity/link-identifiers/link-identifiers.command';
import { LinkIdentifiersHandler } from '../identity/link-identifiers/link-identifiers.handler';
import { RecordTouchpointsCommand } from '../record-touchpoints.command';
import { RecordTouchpointsHandler } from '../record-touchpoints.handler';
import { TouchpointRecorder } from '../touchpoint-recorder';

export interface IdentityResolutionFixture {
  /** A fresh, empty store; `again` opens a second client of the same store (another instance). */
  factory(): Promise<{ store: EventStore; again: () => Promise<EventStore> }>;
  /**
   * The store writes no two streams in one transaction (EventStoreDB): links accepted beside
   * one that lost stay written (AppendManyOptions).
   */
  readonly writesStreamsApart?: boolean;
}

const context = { ingestedAt: '2026-11-27T00:00:00.000Z', correlationId: 'identity-contract' };

function visit(
  touchpointId: string,
  identifiers: { type: string; value: string }[],
  customerId?: string,
): IncomingTouchpoint {
  return {
    touchpointId,
    source: 'web',
    ...(customerId ? { customerId } : {}),
    identifiers,
    type: 'web_visit',
    occurredAt: '2026-11-20T10:00:00.000Z',
    channel: 'web',
    data: { url: 'https://shop.example/' },
  } as IncomingTouchpoint;
}

function writePath(store: EventStore) {
  const handler = new RecordTouchpointsHandler(
    new TouchpointRecorder(store, new CustomerStateCache()),
    new IdentityResolver(store),
  );
  return (...touchpoints: IncomingTouchpoint[]) =>
    handler.execute(new RecordTouchpointsCommand(touchpoints, context));
}

/** Segment identify calls through the write path's resolution (no touchpoint). */
function identifyPath(store: EventStore) {
  const handler = new LinkIdentifiersHandler(new IdentityResolver(store));
  return (...calls: IdentifyCall[]) => handler.execute(new LinkIdentifiersCommand(calls));
}

function identifyCall(
  messageId: string,
  identifiers: { type: string; value: string }[],
  customerId?: string,
): IdentifyCall {
  return {
    source: 'segment',
    messageId,
    occurredAt: '2026-11-20T09:00:00.000Z',
    ...(customerId ? { customerId } : {}),
    identifiers,
  };
}

async function identityEventsOf(store: EventStore): Promise<RecordedEvent[]> {
  return (await store.readAll()).filter(isIdentityEvent);
}

async function graphOf(store: EventStore) {
  const events = await identityEventsOf(store);
  return foldIdentityGraph(events.map((e) => ({ type: e.type, data: e.data }) as IdentityEvent));
}

const digester = new IdentifierDigester();

/** Holds each wrapped store's first appendMany until `parties` of them have arrived. */
function appendBarrier(parties: number) {
  let arrived = 0;
  let release!: () => void;
  const all = new Promise<void>((resolve) => (release = resolve));
  return {
    wrap(store: EventStore): EventStore {
      let first = true;
      return new Proxy(store, {
        get(target, name, receiver) {
          if (name !== 'appendMany') return Reflect.get(target, name, receiver) as unknown;
          return async (...args: Parameters<EventStore['appendMany']>) => {
            if (first) {
              first = false;
              if (++arrived >= parties) release();
              await all;
            }
            return target.appendMany(...args);
          };
        },
      });
    },
  };
}
/** Holds the wrapped store's first appendMany until `open`; `arrived` once it is held. */
function appendGate() {
  let arrive!: () => void;
  let open!: () => void;
  const arrived = new Promise<void>((resolve) => (arrive = resolve));
  const opened = new Promise<void>((resolve) => (open = resolve));
  return {
    arrived,
    open,
    wrap(store: EventStore): EventStore {
      let first = true;
      return new Proxy(store, {
        get(target, name, receiver) {
          if (name !== 'appendMany') return Reflect.get(target, name, receiver) as unknown;
          return async (...args: Parameters<EventStore['appendMany']>) => {
            if (first) {
              first = false;
              arrive();
              await opened;
            }
            return target.appendMany(...args);
          };
        },
      });
    },
  };
}

const anon = { type: 'anonymousId', value: 'a-1' };
const email = { type: 'email', value: 'ada@example.com' };
const tablet = { type: 'anonymousId', value: 'family-tablet' };

/** Identity resolution over a store adapter: the same behaviour on SQLite and EventStoreDB. */
export function describeIdentityResolution(fixture: IdentityResolutionFixture): void {
  let store: EventStore;
  let again: () => Promise<EventStore>;
  const opened: EventStore[] = [];

  beforeEach(async () => {
    const made = await fixture.factory();
    store = made.store;
    opened.push(store);
    again = async () => {
      const other = await made.again();
      opened.push(other);
      return other;
    };
  });

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((s) => s.close()));
  });

  describe('when an anonymous visitor browses, then logs in', () => {
    it('the visit lands on a derived profile, the login on the customer, and the graph merges them', async () => {
      const record = writePath(store);
      const browsing = await record(visit('v1', [anon]));
      const visitor = derivedProfileId(digester.digest(anon));
      expect(browsing.items[0]).toMatchObject({ status: 'recorded', customerId: visitor });

      const login = await record(visit('v2', [anon, email], 'C-1'));
      expect(login.items[0]).toMatchObject({ status: 'recorded', customerId: 'C-1' });

      expect(
        (await store.readStream(`customer-${visitor}`)).map((e) => e.data.touchpointId),
      ).toEqual(['v1']);
      expect((await store.readStream('customer-C-1')).map((e) => e.data.touchpointId)).toEqual([
        'v2',
      ]);
      const partition = partitionOf(await graphOf(store));
      expect(partition.survivorOf(visitor)).toBe('C-1');
      expect(partition.membersOf('C-1')).toEqual(['C-1', visitor].sort());
    });

    it('a later touchpoint by email alone lands on the customer', async () => {
      const record = writePath(store);
      await record(visit('v2', [email], 'C-1'));
      const later = await record(visit('v3', [email]));
      expect(later.items[0]).toMatchObject({ status: 'recorded', customerId: 'C-1' });
    });
  });

  describe('when a redelivered touchpoint is resolved again (a crash after the identity appends)', () => {
    it('it lands where it landed, records no second identity event, and is a duplicate', async () => {
      const first = writePath(store);
      await first(visit('v1', [anon]));
      await first(visit('v2', [anon, email], 'C-1'));
      const before = (await identityEventsOf(store)).length;
      const restarted = writePath(await again());
      const redelivered = await restarted(visit('v2', [anon, email], 'C-1'), visit('v1', [anon]));
      expect(redelivered.items.map((i) => [i.status, i.customerId])).toEqual([
        ['duplicate', 'C-1'],
        ['duplicate', derivedProfileId(digester.digest(anon))],
      ]);
      expect((await identityEventsOf(store)).length).toBe(before);
    });
  });

  describe('when two instances decide about the same new identifier at once', () => {
    it('one link wins; both touchpoints land on the same profile', async () => {
      // Both decide before either appends: each one's first append waits for the other's.
      const barrier = appendBarrier(2);
      const a = writePath(barrier.wrap(store));
      const b = writePath(barrier.wrap(await again()));
      const [ra, rb] = await Promise.all([a(visit('x1', [email], 'C-1')), b(visit('x2', [email]))]);
      // Without the reservation, b would link the email to a profile of its own.
      expect(ra.items[0].customerId).toBe('C-1');
      expect(rb.items[0].customerId).toBe('C-1');
      const links = (await identityEventsOf(store)).filter(
        (e) => e.type === 'IdentifierLinked' && e.data.digest === digester.digest(email),
      );
      expect(links).toHaveLength(1);
    });
  });

  describe('when two instances meet the same new identifier within batches of touchpoints', () => {
    it('one link wins; every touchpoint naming it lands on its profile, the others where they name', async () => {
      // Both decide before either appends; the identifier's link and the touchpoints share
      // one append, so the loser's touchpoints must not land where its lost link said.
      const barrier = appendBarrier(2);
      const a = writePath(barrier.wrap(store));
      const b = writePath(barrier.wrap(await again()));
      const [ra, rb] = await Promise.all([
        a(visit('a1', [], 'C-7'), visit('a2', [email], 'C-1'), visit('a3', [anon])),
        b(visit('b1', [], 'C-8'), visit('b2', [email]), visit('b3', [email])),
      ]);
      const owner = ra.items[1].customerId;
      expect(owner).toBe('C-1');
      expect(rb.items.map((i) => i.customerId)).toEqual(['C-8', owner, owner]);
      expect([...ra.items, ...rb.items].map((i) => i.status)).toEqual(
        new Array(6).fill('recorded'),
      );
      const events = await identityEventsOf(store);
      const links = events.filter(
        (e) => e.type === 'IdentifierLinked' && e.data.digest === digester.digest(email),
      );
      expect(links).toHaveLength(1);
      expect(links[0].data.customerId).toBe(owner);
      expect(events.filter((e) => e.type === 'ProfilesMerged')).toEqual([]);
      const stored = (await store.readAll()).filter((e) => e.streamName.startsWith('customer-'));
      expect(stored.map((e) => e.data.touchpointId).sort()).toEqual(
        ['a1', 'a2', 'a3', 'b1', 'b2', 'b3'].sort(),
      );
      expect(stored.filter((e) => ['b2', 'b3'].includes(e.data.touchpointId as string))).toEqual([
        expect.objectContaining({ streamName: `customer-${owner}` }),
        expect.objectContaining({ streamName: `customer-${owner}` }),
      ]);
    });
  });

  describe('when a batch loses the race for one new identifier and would have won another', () => {
    it('the link it would have won is not kept either, so its retry makes no merge', async () => {
      // The loser decides first (both identifiers new: one profile of its own for both), then
      // the winner links the email to C-1, then the loser appends: its email link is refused.
      const gate = appendGate();
      const loser = writePath(gate.wrap(store))(visit('l1', [email, anon]));
      await gate.arrived;
      const won = await writePath(await again())(visit('w1', [email], 'C-1'));
      gate.open();
      const lost = await loser;
      expect(won.items[0]).toMatchObject({ status: 'recorded', customerId: 'C-1' });
      expect(lost.items[0]).toMatchObject({ status: 'recorded', customerId: 'C-1' });
      const events = await identityEventsOf(store);
      const linksOf = (identifier: { type: string; value: string }) =>
        events
          .filter(
            (e) => e.type === 'IdentifierLinked' && e.data.digest === digester.digest(identifier),
          )
          .map((e) => e.data.customerId);
      expect(linksOf(email)).toEqual(['C-1']);
      const graph = events.filter((e) => e.streamName === IDENTITY_GRAPH_STREAM);
      if (fixture.writesStreamsApart) {
        // No multi-stream transaction: the anonymousId's link won beside the lost one and stays
        // with the profile the loser chose, which the retry merges into C-1. That profile never
        // received a touchpoint, so every view of C-1 is as without it.
        const [chosen] = linksOf(anon);
        expect(chosen).not.toBe('C-1');
        expect(graph.map((e) => e.type)).toEqual(['ProfilesMerged']);
        expect(partitionOf(await graphOf(store)).survivorOf(chosen as string)).toBe('C-1');
        expect(await store.readStream(`customer-${chosen as string}`)).toEqual([]);
      } else {
        expect(linksOf(anon)).toEqual(['C-1']);
        expect(graph).toEqual([]);
      }
      const stored = (await store.readAll()).filter((e) => e.streamName.startsWith('customer-'));
      expect(stored.map((e) => [e.streamName, e.data.touchpointId]).sort()).toEqual([
        ['customer-C-1', 'l1'],
        ['customer-C-1', 'w1'],
      ]);
    });
  });

  describe('when a batch relies on a link of an earlier batch still being appended, and that link loses', () => {
    it('the later batch carries the link again as a prerequisite, so it is refused too, then lands on the winner', async () => {
      const resolver = new IdentityResolver(store);
      const recorder = new TouchpointRecorder(store, new CustomerStateCache());
      const asBatch = (touchpoints: readonly IncomingTouchpoint[]) =>
        groupByCustomer(touchpoints as Touchpoint[]).batches;
      const earlier = await resolver.resolveForAppend([visit('n1', [email])]);
      const madeFor = earlier.touchpoints[0].customerId;
      // Another instance links the email first, while the earlier append is still to come.
      await writePath(await again())(visit('w1', [email], 'C-1'));
      // Resolved from the cache, where the email is linked to the profile made for n1.
      const later = await resolver.resolveForAppend([visit('n2', [email])]);
      expect(later.touchpoints[0].customerId).toBe(madeFor);
      expect(
        await recorder.recordAfter(later.prerequisites, asBatch(later.touchpoints), context),
      ).toBeUndefined();
      later.settled(false);
      expect(
        await recorder.recordAfter(earlier.prerequisites, asBatch(earlier.touchpoints), context),
      ).toBeUndefined();
      earlier.settled(false);
      const again1 = await resolver.resolveForAppend([visit('n1', [email]), visit('n2', [email])]);
      expect(again1.touchpoints.map((t) => t.customerId)).toEqual(['C-1', 'C-1']);
      expect(again1.prerequisites).toEqual([]);
      expect((await store.readStream(`customer-${madeFor}`)).length).toBe(0);
      const links = (await identityEventsOf(store)).filter(
        (e) => e.type === 'IdentifierLinked' && e.data.digest === digester.digest(email),
      );
      expect(links.map((e) => e.data.customerId)).toEqual(['C-1']);
    });
  });

  describe('when a shared device meets a second customer', () => {
    it('the merge is refused and recorded once; each customer keeps their touchpoints', async () => {
      const record = writePath(store);
      await record(visit('s1', [tablet], 'C-1'));
      const second = await record(visit('s2', [tablet], 'C-2'));
      await record(visit('s3', [tablet], 'C-2'));
      expect(second.items[0]).toMatchObject({ status: 'recorded', customerId: 'C-2' });
      const graph = await store.readStream(IDENTITY_GRAPH_STREAM);
      expect(graph.map((e) => [e.type, e.data.rule])).toEqual([
        ['MergeRefused', 'limit-per-profile'],
      ]);
      expect(partitionOf(await graphOf(store)).survivorOf('C-2')).toBe('C-2');
    });
  });

  describe('when touchpoints name only a customerId (every message before identities)', () => {
    it('they are recorded as before, with no identity event at all', async () => {
      const record = writePath(store);
      const plain = { ...visit('p1', []), customerId: 'C-9' } as IncomingTouchpoint & {
        identifiers?: unknown;
      };
      delete plain.identifiers;
      expect((await record(plain)).items[0]).toMatchObject({
        status: 'recorded',
        customerId: 'C-9',
      });
      expect(await identityEventsOf(store)).toEqual([]);
    });
  });

  describe('when an identify call names a customer and their identifiers (no touchpoint)', () => {
    it('links them to the customer, with the call as evidence, and writes no customer stream', async () => {
      const linked = await identifyPath(store)(identifyCall('i-1', [anon, email], 'C-1'));
      expect(linked.answers).toEqual([{ profileId: 'C-1', linked: 2, merged: 0, refused: [] }]);
      expect(linked.position).toBeGreaterThanOrEqual(0n);
      const links = (await identityEventsOf(store)).filter((e) => e.type === 'IdentifierLinked');
      expect(links.map((e) => e.data.evidence)).toEqual([
        {
          source: 'segment',
          call: 'identify',
          messageId: 'i-1',
          occurredAt: '2026-11-20T09:00:00.000Z',
        },
        {
          source: 'segment',
          call: 'identify',
          messageId: 'i-1',
          occurredAt: '2026-11-20T09:00:00.000Z',
        },
      ]);
      expect(await store.readStream('customer-C-1')).toEqual([]);
      const later = await writePath(store)(visit('v1', [anon]));
      expect(later.items[0]).toMatchObject({ status: 'recorded', customerId: 'C-1' });
    });

    it('the same call again, even on another instance, records nothing', async () => {
      await identifyPath(store)(identifyCall('i-1', [anon, email], 'C-1'));
      const before = (await identityEventsOf(store)).length;
      const retried = await identifyPath(await again())(identifyCall('i-1', [anon, email], 'C-1'));
      expect(retried.answers).toEqual([{ profileId: 'C-1', linked: 0, merged: 0, refused: [] }]);
      expect((await identityEventsOf(store)).length).toBe(before);
    });

    it('two instances identifying by one new identifier at once: one link wins, one profile', async () => {
      const barrier = appendBarrier(2);
      const a = identifyPath(barrier.wrap(store));
      const b = identifyPath(barrier.wrap(await again()));
      const [ra, rb] = await Promise.all([
        a(identifyCall('i-a', [email], 'C-1')),
        b(identifyCall('i-b', [email])),
      ]);
      expect([ra.answers[0].profileId, rb.answers[0].profileId]).toEqual(['C-1', 'C-1']);
      const links = (await identityEventsOf(store)).filter(
        (e) => e.type === 'IdentifierLinked' && e.data.digest === digester.digest(email),
      );
      expect(links).toHaveLength(1);
    });

    it('losing the race for one new identifier keeps no link of the call, so its retry makes no merge', async () => {
      const gate = appendGate();
      const loser = identifyPath(gate.wrap(store))(identifyCall('i-l', [email, anon]));
      await gate.arrived;
      await identifyPath(await again())(identifyCall('i-w', [email], 'C-1'));
      gate.open();
      const [answer] = (await loser).answers;
      expect(answer.profileId).toBe('C-1');
      const events = await identityEventsOf(store);
      const anonLinks = events.filter(
        (e) => e.type === 'IdentifierLinked' && e.data.digest === digester.digest(anon),
      );
      const graph = events.filter((e) => e.streamName === IDENTITY_GRAPH_STREAM);
      if (fixture.writesStreamsApart) {
        // As with touchpoints (above): the anonymousId's link stays; its profile is merged.
        expect(anonLinks.map((e) => e.data.customerId)).not.toEqual(['C-1']);
        expect(graph.map((e) => e.type)).toEqual(['ProfilesMerged']);
      } else {
        expect(answer).toMatchObject({ linked: 1, merged: 0 });
        expect(anonLinks.map((e) => e.data.customerId)).toEqual(['C-1']);
        expect(graph).toEqual([]);
      }
    });

    it('a second customer claiming a known identifier is refused and recorded once', async () => {
      const identify = identifyPath(store);
      await identify(identifyCall('i-1', [tablet], 'C-1'));
      const refused = await identify(identifyCall('i-2', [tablet], 'C-2'));
      expect(refused.answers[0]).toMatchObject({
        profileId: 'C-2',
        linked: 0,
        merged: 0,
        refused: [
          {
            rule: 'limit-per-profile',
            limit: { identifierType: 'customerId', max: 1, would: 2 },
            evidence: expect.objectContaining({ call: 'identify', messageId: 'i-2' }),
          },
        ],
      });
      const retried = await identify(identifyCall('i-2', [tablet], 'C-2'));
      expect(retried.answers[0].refused).toEqual([]);
      const graph = await store.readStream(IDENTITY_GRAPH_STREAM);
      expect(graph.map((e) => e.type)).toEqual(['MergeRefused']);
    });
  });
}
