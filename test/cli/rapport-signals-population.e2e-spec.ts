import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { historyOf } from '@rapport/domain/testing';
import { SqliteEventStore } from '@rapport/event-store';
import { appendHistory } from '@rapport/signal-delivery/testing';
import { purchase } from '@rapport/signals/testing';
import { ensureCliBuilt, rapport } from './rapport-cli';

jest.setTimeout(120_000);

const day = (n: number) => new Date(Date.UTC(2026, 2, n, 10)).toISOString();

describe('rapport signals preview of the population rules', () => {
  let dir: string;
  const env = () => ({ DATA_DIR: join(dir, 'data') });

  beforeAll(async () => {
    await ensureCliBuilt();
    dir = mkdtempSync(join(tmpdir(), 'rapport-cli-population-'));
    mkdirSync(join(dir, 'data'));
    const store = new SqliteEventStore({ path: join(dir, 'data', 'events.db') });
    // C-top leads until C-mid overtakes it on 12 March; the last event is on the 14th.
    await appendHistory(store, 'C-top', historyOf(purchase('O-1', 900_000, day(1), 'C-top')));
    await appendHistory(
      store,
      'C-mid',
      historyOf(
        purchase('O-2', 50_000, day(2), 'C-mid'),
        purchase('O-3', 9_000_000, day(12), 'C-mid'),
      ),
    );
    await appendHistory(
      store,
      'C-low',
      historyOf(purchase('O-4', 20_000, day(3), 'C-low'), purchase('O-5', 100, day(14), 'C-low')),
    );
    await store.close();
  }, 180_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('when asked for tier-move, then the moves at the day boundaries up to the latest event time are counted and sampled', async () => {
    const run = await rapport(['signals', 'preview', '--rule', 'tier-move', '--json'], env());
    expect(run.code).toBe(0);
    const preview = JSON.parse(run.stdout);
    expect(preview).toMatchObject({
      rule: 'tier-move',
      asOf: '2026-03-14T10:00:00.000Z',
      due: 2,
      pending: 2,
      byTrigger: { down: 1, up: 1 },
      customers: 3,
    });
    expect(
      preview.samples.map((s: { subject: { id: string }; dueAt: string }) => [
        s.subject.id,
        s.dueAt,
      ]).sort(),
    ).toEqual([
      ['C-mid', '2026-03-13T00:00:00.000Z'],
      ['C-top', '2026-03-13T00:00:00.000Z'],
    ]);
  });

  it('when the days evaluated start after the move, then it is not counted', async () => {
    const run = await rapport(
      ['signals', 'preview', '--rule', 'tier-move', '--days', '1', '--as-of', '2026-03-14'],
      env(),
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      'tier-move as of 2026-03-14T23:59:59.999Z: 0 signals due at the window boundaries evaluated',
    );
  });

  it('when asked for win-back, then it runs over the same boundaries', async () => {
    const run = await rapport(['signals', 'preview', '--rule', 'win-back', '--json'], env());
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ rule: 'win-back', customers: 3 });
  });
});
