import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { historyOf } from '@rapport/domain/testing';
import { SqliteEventStore } from '@rapport/event-store';
import { appendHistory } from '@rapport/signal-delivery/testing';
import { complaint, purchase } from '@rapport/signals/testing';
import { ensureCliBuilt, rapport } from './rapport-cli';

jest.setTimeout(60_000);

describe('rapport signals preview', () => {
  let dir: string;
  const env = () => ({ DATA_DIR: join(dir, 'data') });

  beforeAll(async () => {
    await ensureCliBuilt();
    dir = mkdtempSync(join(tmpdir(), 'rapport-cli-signals-'));
    mkdirSync(join(dir, 'data'));
    const store = new SqliteEventStore({ path: join(dir, 'data', 'events.db') });
    await appendHistory(
      store,
      'C-1',
      historyOf(purchase('O-1', 4999, '2026-03-01T10:00:00Z', 'C-1')),
    );
    await appendHistory(
      store,
      'C-2',
      historyOf(purchase('O-2', 1500, '2026-03-20T10:00:00Z', 'C-2')),
    );
    await appendHistory(store, 'C-3', historyOf(complaint('K-1', '2026-03-21T10:00:00Z', 'C-3')));
    await store.close();
  }, 180_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('when asked for a rule, then it counts and samples what it would fire as of the latest event time', async () => {
    const run = await rapport(['signals', 'preview', '--rule', 'thank-you', '--json'], env());
    expect(run.code).toBe(0);
    const preview = JSON.parse(run.stdout);
    expect(preview).toMatchObject({
      rule: 'thank-you',
      asOf: '2026-03-21T10:00:00.000Z',
      due: 2,
      // C-1's thank-you expired after 14 days: only C-2's would be sent now.
      pending: 1,
      byTrigger: { 'first-purchase': 2 },
    });
    expect(preview.samples.map((s: { subject: { id: string } }) => s.subject.id)).toEqual(['C-2']);
  });

  it('when given --as-of and thresholds, then it evaluates there with them, switched off or not', async () => {
    const run = await rapport(
      ['signals', 'preview', '--rule', 'complaint-follow-up', '--as-of', '2026-03-22'],
      { ...env(), SIGNALS_COMPLAINT_FOLLOW_UP: 'false', SIGNALS_COMPLAINT_OPEN_HOURS: '12' },
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      'complaint-follow-up as of 2026-03-22T23:59:59.999Z: 1 signals due',
    );
    expect(run.stdout).toContain('C-3  complaint-open: Complaint K-1 has been open for 12 hours');
  });

  it('when the rule is unknown, then it is a usage error; nothing is written', async () => {
    const run = await rapport(['signals', 'preview', '--rule', 'nope'], env());
    expect(run.code).toBe(2);
    expect(existsSync(join(dir, 'data', 'signals.db'))).toBe(false);
  });
});
