import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventIdFor } from '@rapport/domain';
import { historyOf } from '@rapport/domain/testing';
import { SqliteEventStore } from '@rapport/event-store';
import { IDENTITY_GRAPH_STREAM, type MergeUndone, type ProfilesMerged } from '@rapport/identity';
import { merged, undone } from '@rapport/identity/testing';
import { appendHistory } from '@rapport/signal-delivery/testing';
import { purchase } from '@rapport/signals/testing';
import type { Signal } from '@rapport/signals';
import { ensureCliBuilt, rapport } from './rapport-cli';

jest.setTimeout(60_000);

const day = (n: number) => new Date(Date.UTC(2026, 2, 1 + n, 10)).toISOString();
const fifthPurchase = purchase('O-B4', 2_000, day(4), 'C-B');

/**
 * C-A buys once and C-B four times; C-A and C-B are merged (C-A survives). As one profile they
 * have five purchases: one first purchase and a 5th-purchase milestone, both the profile's.
 */
async function storeWith(dataDir: string, graph: Array<ProfilesMerged | MergeUndone>) {
  mkdirSync(dataDir, { recursive: true });
  const store = new SqliteEventStore({ path: join(dataDir, 'events.db') });
  await appendHistory(store, 'C-A', historyOf(purchase('O-A1', 2_000, day(0), 'C-A')));
  await appendHistory(
    store,
    'C-B',
    historyOf(
      purchase('O-B1', 2_000, day(1), 'C-B'),
      purchase('O-B2', 2_000, day(2), 'C-B'),
      purchase('O-B3', 2_000, day(3), 'C-B'),
    ),
  );
  for (const event of graph)
    await store.append(
      IDENTITY_GRAPH_STREAM,
      [{ id: randomUUID(), type: event.type, data: { ...event.data }, metadata: {} }],
      { expectedRevision: 'any' },
    );
  // After the merge: on the absorbed member's stream.
  await appendHistory(store, 'C-B', historyOf(fifthPurchase));
  await store.close();
}

describe('rapport signals preview over merged profiles', () => {
  let dir: string;

  beforeAll(async () => {
    await ensureCliBuilt();
    dir = mkdtempSync(join(tmpdir(), 'rapport-cli-signals-merged-'));
    await storeWith(join(dir, 'merged'), [merged('m-1', 'C-A', 'C-B')]);
    await storeWith(join(dir, 'undone'), [merged('m-1', 'C-A', 'C-B'), undone('m-1')]);
  }, 180_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const preview = async (store: string) => {
    const run = await rapport(['signals', 'preview', '--rule', 'thank-you', '--json'], {
      DATA_DIR: join(dir, store),
    });
    expect(run.code).toBe(0);
    return JSON.parse(run.stdout) as {
      due: number;
      customers: number;
      byTrigger: Record<string, number>;
      samples: Signal[];
    };
  };

  it('when two customers are merged, then the rules see one profile, named by its survivor, with both histories', async () => {
    const result = await preview('merged');
    expect(result).toMatchObject({
      customers: 1,
      due: 2,
      byTrigger: { 'first-purchase': 1, milestone: 1 },
    });
    const milestone = result.samples.find((s) => s.trigger === 'milestone');
    expect(milestone).toMatchObject({
      subject: { id: 'C-A' },
      evidence: {
        events: [
          {
            eventId: eventIdFor(fifthPurchase.source, fifthPurchase.touchpointId),
          },
        ],
        figures: { purchaseNumber: 5 },
      },
    });
  });

  it('when the merge is undone, then each customer is previewed alone, as if never merged', async () => {
    const result = await preview('undone');
    expect(result).toMatchObject({
      customers: 2,
      due: 2,
      byTrigger: { 'first-purchase': 2 },
    });
    expect(result.samples.map((s) => s.subject.id).sort()).toEqual(['C-A', 'C-B']);
  });
});
