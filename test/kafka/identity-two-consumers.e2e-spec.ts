import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RecordedEvent } from '@rapport/event-store';
import {
  foldIdentityGraph,
  isIdentityEvent,
  isIdentityStream,
  partitionOf,
  type IdentityEvent,
} from '@rapport/identity';
import { describeIfAvailable, kafkaAvailability } from '@rapport/test-support';
import { startIngest, type RunningIngest } from './ingest.harness';
import { publish, testKafkaConfig, until, webVisit } from './kafka-test.fixtures';

jest.setTimeout(60_000);

const PEOPLE = 6;
const EACH = 4;

/** One person's identifiers, each a message key of its own: their touchpoints spread out. */
function personOf(p: number) {
  return {
    customerId: `C-KID-${p}`,
    email: `person${p}@example.com`,
    phone: `+4420794609${String(50 + p).padStart(2, '0')}`,
    anonymousId: `anon-kid-${p}`,
  };
}

/**
 * A person's touchpoints, each keyed by the one identifier it carries (so they land on
 * different partitions, read by different consumers), and a few login touchpoints that name
 * the customer with all three identifiers: the evidence that stitches them into one profile.
 */
function touchpointsOf(p: number) {
  const person = personOf(p);
  const messages: { key: string; value: string; touchpointId: string }[] = [];
  const add = (key: string, touchpoint: Record<string, unknown>) =>
    messages.push({
      key,
      value: JSON.stringify(touchpoint),
      touchpointId: touchpoint.touchpointId as string,
    });
  for (let i = 0; i < EACH; i++) {
    const bare = (identifiers: object[]) => {
      const { customerId: _none, ...visit } = webVisit('unused');
      return { ...visit, identifiers };
    };
    add(
      `anonymousId:${person.anonymousId}`,
      bare([{ type: 'anonymousId', value: person.anonymousId }]),
    );
    add(`email:${person.email}`, bare([{ type: 'email', value: person.email }]));
    add(`phone:${person.phone}`, bare([{ type: 'phone', value: person.phone }]));
    add(person.customerId, webVisit(person.customerId));
  }
  add(
    person.customerId,
    webVisit(person.customerId, {
      identifiers: [
        { type: 'anonymousId', value: person.anonymousId },
        { type: 'email', value: person.email },
        { type: 'phone', value: person.phone },
      ],
    }),
  );
  return messages;
}

describeIfAvailable(
  'identity resolution over Kafka, two consumers',
  kafkaAvailability(),
  (brokers) => {
    let dir: string;
    const running: RunningIngest[] = [];

    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'rapport-kafka-identity-'));
    });
    afterEach(async () => {
      for (const ingest of running.splice(0)) await ingest.stop();
      rmSync(dir, { recursive: true, force: true });
    });

    it('ends with one profile per person and every touchpoint recorded once', async () => {
      const config = testKafkaConfig(brokers);
      const dbPath = join(dir, 'events.db');
      const [a, b] = await Promise.all([startIngest(config, dbPath), startIngest(config, dbPath)]);
      running.push(a, b);
      const partitionsOf = (ingest: RunningIngest) =>
        ingest.counts.assigned.get(config.topic) ?? [];
      await until(
        () =>
          partitionsOf(a).length > 0 &&
          partitionsOf(b).length > 0 &&
          !partitionsOf(a).some((p) => partitionsOf(b).includes(p)),
        90_000,
        'both consumers to hold partitions of their own',
      );
      const people = Array.from({ length: PEOPLE }, (_, p) => touchpointsOf(p));
      const messages = people.flat();
      await publish(
        config,
        messages.map(({ key, value }) => ({ key, value })),
      );
      await until(
        () => a.counts.recorded + b.counts.recorded >= messages.length,
        60_000,
        `both consumers to record ${messages.length} touchpoints`,
      );
      expect(a.counts.deadLettered).toEqual([]);
      expect(b.counts.deadLettered).toEqual([]);
      // Each consumer read a share of one person's identifiers.
      expect(a.counts.partitions.size).toBeGreaterThan(0);
      expect(b.counts.partitions.size).toBeGreaterThan(0);

      const events = await a.store.readAll();
      const identity = events.filter((e) => isIdentityStream(e.streamName));
      const graph = foldIdentityGraph(identity.filter(isIdentityEvent).map(asIdentityEvent));
      const partition = partitionOf(graph);

      // Every touchpoint once, on a stream of its person's profile.
      const touchpoints = events.filter((e) => e.streamName.startsWith('customer-'));
      const ids = touchpoints.map((e) => String(e.data.touchpointId));
      expect(ids).toHaveLength(messages.length);
      expect(new Set(ids)).toEqual(new Set(messages.map((m) => m.touchpointId)));
      const profileOf = new Map(
        touchpoints.map((e) => [
          String(e.data.touchpointId),
          e.streamName.slice('customer-'.length),
        ]),
      );
      for (let p = 0; p < PEOPLE; p++) {
        const survivors = new Set(
          people[p].map((m) => partition.survivorOf(profileOf.get(m.touchpointId)!)),
        );
        expect({ person: p, survivors: [...survivors] }).toEqual({
          person: p,
          survivors: [personOf(p).customerId],
        });
      }
      // Each identifier linked once, to one profile: 3 per person (customerIds link nothing).
      const links = identity.filter((e) => e.type === 'IdentifierLinked');
      const byStream = new Map<string, number>();
      for (const link of links)
        byStream.set(link.streamName, (byStream.get(link.streamName) ?? 0) + 1);
      expect([...byStream.values()].every((n) => n === 1)).toBe(true);
      expect(byStream.size).toBe(PEOPLE * 3);
      expect(identity.filter((e) => e.type === 'MergeRefused')).toEqual([]);
    }, 240_000);
  },
);

function asIdentityEvent(recorded: RecordedEvent): IdentityEvent {
  return { type: recorded.type, data: recorded.data } as unknown as IdentityEvent;
}
