import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_SIGNAL_RULES, type Signal } from '@rapport/signals';
import { given, purchase } from '@rapport/signals/testing';
import { SqliteSignalLedger } from './sqlite.signal-ledger';

describe('SqliteSignalLedger', () => {
  let dir: string;
  let signal: Signal;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rapport-ledger-'));
    [signal] = given(purchase('O-1', 4999, '2026-03-01T10:00:00Z')).signals(
      DEFAULT_SIGNAL_RULES,
      '2026-03-02T00:00:00Z',
    );
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('when a signal is recorded again with the same content, then nothing changes', () => {
    const ledger = new SqliteSignalLedger(join(dir, 'signals.db'));
    expect(ledger.record([signal], 3n).added).toBe(1);
    expect(ledger.record([{ ...signal }], 9n)).toEqual({ added: 0, conflicts: [] });
    expect(ledger.counts()).toEqual({ signals: 1, pending: 1, conflicts: 0 });
    ledger.close();
  });

  it('when an id comes back with other content, then it is a conflict and the first content stands', () => {
    const ledger = new SqliteSignalLedger(join(dir, 'signals.db'));
    ledger.record([signal], 3n);
    const changed = { ...signal, reason: 'something else' };
    expect(ledger.record([changed], 4n)).toEqual({ added: 0, conflicts: [signal.id] });
    expect(ledger.list({ limit: 10 }).map((e) => e.signal)).toEqual([signal]);
    expect(ledger.counts().conflicts).toBe(1);
    ledger.close();
  });

  it('when reopened, then the signals, their status and the cursor are still there (durable)', () => {
    const first = new SqliteSignalLedger(join(dir, 'signals.db'));
    first.record([signal], 3n, { position: 3n, watermark: '2026-03-01T10:00:00.000Z' });
    first.markPublished(first.pending(10).map((e) => e.seq));
    first.close();
    const again = new SqliteSignalLedger(join(dir, 'signals.db'));
    expect(again.cursor()).toEqual({ position: 3n, watermark: '2026-03-01T10:00:00.000Z' });
    expect(again.pending(10)).toEqual([]);
    expect(again.list({ limit: 10 })).toMatchObject([
      { status: 'published', derivedAtPosition: 3n },
    ]);
    again.close();
  });
});
