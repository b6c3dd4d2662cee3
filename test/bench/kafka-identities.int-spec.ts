import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IncomingTouchpoint, Touchpoint } from '@rapport/domain';
import { SqliteEventStore } from '@rapport/event-store';
import { RecordTouchpointsCommand, openRecording } from '@rapport/recording';
import {
  countStored,
  expectationOf,
  identifiersOfTouchpoints,
  seedIdentityStore,
  usualIdentifiers,
  withIdentifiers,
  type IdentityPlan,
} from '../../bench/kafka-ingest.identities';

const plan: IdentityPlan = { identifiers: 2, newLinkShare: 0.1 };

function touchpoints(n: number, customers: number): Touchpoint[] {
  return Array.from({ length: n }, (_, i) => ({
    touchpointId: `tp-${i}`,
    source: 'bench',
    customerId: `C-${i % customers}`,
    type: 'web_visit',
    channel: 'web',
    occurredAt: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(),
    data: { url: 'https://shop.example/p/1' },
  }));
}

describe('the Kafka bench with identifiers', () => {
  describe('when it gives touchpoints identifiers', () => {
    const given = touchpoints(20_000, 1_000);

    it('gives the same ones on every run', () => {
      expect(identifiersOfTouchpoints(given, plan)).toEqual(identifiersOfTouchpoints(given, plan));
      expect(identifiersOfTouchpoints(given, plan, 31)).not.toEqual(
        identifiersOfTouchpoints(given, plan),
      );
    });

    it('gives the share asked for a fresh anonymousId, the rest their customer’s usual ones', () => {
      const identified = withIdentifiers(given, plan);
      const expected = expectationOf(identified);
      expect(expected.touchpointsWithNewLink / given.length).toBeGreaterThan(0.09);
      expect(expected.touchpointsWithNewLink / given.length).toBeLessThan(0.11);
      expect(expected.newLinks).toBe(expected.touchpointsWithNewLink);
      expect(expected.lookups).toBe(2 * given.length);
      const neitherUsualNorFresh = identified.filter((tp) => {
        const [email, anonymous] = tp.identifiers!;
        return (
          email.value !== usualIdentifiers(tp.customerId!, plan)[0].value ||
          ![`anon-${tp.customerId}`, `anon-${tp.touchpointId}`].includes(anonymous.value)
        );
      });
      expect(neitherUsualNorFresh).toEqual([]);
    });

    it('with one identifier, gives only the anonymousId', () => {
      const one = identifiersOfTouchpoints(given, { identifiers: 1, newLinkShare: 0.1 });
      expect(one.every((ids) => ids.length === 1 && ids[0].type === 'anonymousId')).toBe(true);
    });
  });

  describe('when the store is seeded with known identifiers', () => {
    let dir: string;
    beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'rapport-bench-identities-'))));
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('the write path finds the customers’ usual identifiers linked and links only fresh ones', async () => {
      const path = join(dir, 'events.db');
      const progress: number[] = [];
      const linked = await seedIdentityStore(path, 'inline', 50, plan, 7, (l) => progress.push(l));
      expect(linked).toBe(50 * 2 + 7);
      expect(progress[progress.length - 1]).toBe(linked);
      expect(countStored(path)).toEqual({
        customerEvents: 0,
        identifierLinks: 107,
        graphEvents: 0,
      });

      const store = new SqliteEventStore({ path, writer: 'inline' });
      const recording = await openRecording(store);
      try {
        const sent: IncomingTouchpoint[] = withIdentifiers(touchpoints(400, 50), plan);
        const result = await recording.commandBus.execute(
          new RecordTouchpointsCommand(sent, {
            ingestedAt: '2026-02-01T00:00:00Z',
            correlationId: 'c',
          }),
        );
        expect(result.items.map((item) => item.customerId)).toEqual(sent.map((t) => t.customerId));
        expect(countStored(path)).toEqual({
          customerEvents: 400,
          identifierLinks: 107 + expectationOf(sent).newLinks,
          graphEvents: 0,
        });
      } finally {
        await recording.close();
        await store.close();
      }
    });
  });
});
