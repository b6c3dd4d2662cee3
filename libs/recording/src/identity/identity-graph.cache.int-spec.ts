import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IncomingTouchpoint } from '@rapport/domain';
import { SqliteEventStore } from '@rapport/event-store';
import { IdentityResolver } from './identity-resolver';

const visit = (n: number, identifiers: object[], customerId?: string): IncomingTouchpoint =>
  ({
    touchpointId: `v-${n}`,
    source: 'web',
    ...(customerId ? { customerId } : {}),
    identifiers,
    type: 'web_visit',
    occurredAt: '2026-11-20T10:00:00.000Z',
    channel: 'web',
    data: { url: 'https://shop.example/' },
  }) as IncomingTouchpoint;

describe('the identity graph cache, bounded', () => {
  let dir: string;
  let store: SqliteEventStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'identity-cache-'));
    store = new SqliteEventStore({ path: join(dir, 'events.db') });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps at most its capacity between resolutions, and resolves as an unbounded one does', async () => {
    const bounded = new IdentityResolver(store, undefined, undefined, 4);
    const cached = () =>
      (bounded as unknown as { cache: { graph: { links: Map<string, unknown> } } }).cache.graph
        .links.size;
    const sizes: number[] = [];
    for (let n = 0; n < 12; n++) {
      await bounded.resolve([visit(n, [{ type: 'email', value: `p${n}@example.com` }], `C-${n}`)]);
      sizes.push(cached());
    }
    // Over capacity it starts again before a resolution: never more than capacity + one batch.
    expect(Math.max(...sizes)).toBeLessThanOrEqual(5);
    expect(sizes.some((s) => s < sizes[sizes.indexOf(Math.max(...sizes))])).toBe(true);

    // Links made before the cache was dropped still name their customers, for this instance and
    // for a fresh one that never cached anything.
    const fresh = new IdentityResolver(store);
    for (const resolver of [bounded, fresh]) {
      const landed = await resolver.resolve(
        [0, 5, 11].map((n) => visit(100 + n, [{ type: 'email', value: `p${n}@example.com` }])),
      );
      expect(landed.map((t) => t.customerId)).toEqual(['C-0', 'C-5', 'C-11']);
    }
  });
});
