import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findValues } from '@rapport/privacy';
import { ensureCliBuilt, rapport } from './rapport-cli';

// Each run of the CLI is a node process of its own: about a second on a quiet machine, ten
// under the load of a shared one; a test runs up to eight.
jest.setTimeout(240_000);

const CUSTOMER = 'C-FORGET-1';
const OTHER = 'C-KEEP-1';
const URL_WITH_EMAIL = 'https://shop.test/account?email=mara.vell%40mailbox.test';
const CALL_REASON = 'Mara Vell asked to be called back on +4915177001234';
const ERASED_VALUES = [URL_WITH_EMAIL, CALL_REASON, 'mara.vell', 'Mara Vell', '4915177001234'];

function history(customerId: string, url: string, reason: string, sessionId: string): string {
  const base = { source: 'cli-erase', customerId, channel: 'web' };
  return [
    {
      ...base,
      touchpointId: `${customerId}-w`,
      type: 'web_visit',
      occurredAt: '2026-10-01T09:00:00Z',
      data: { url, sessionId },
    },
    {
      ...base,
      touchpointId: `${customerId}-p`,
      type: 'purchase',
      occurredAt: '2026-10-02T09:00:00Z',
      channel: 'store',
      data: { orderId: 'O-1', amount: { minor: 4_999, currency: 'EUR' } },
    },
    {
      ...base,
      touchpointId: `${customerId}-c`,
      type: 'call',
      occurredAt: '2026-10-03T09:00:00Z',
      channel: 'phone',
      data: { direction: 'inbound', durationSeconds: 60, reason },
    },
  ]
    .map((touchpoint) => JSON.stringify(touchpoint))
    .join('\n');
}

/**
 * `rapport erase` and `rapport erase --verify` as an operator runs them: the built CLI on a
 * data directory filled by `rapport import`, its exit codes and what it prints.
 */
describe('rapport erase', () => {
  let dir: string;
  let env: Record<string, string>;
  beforeAll(() => ensureCliBuilt(), 120_000);
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rapport-erase-'));
    env = { DATA_DIR: join(dir, 'data') };
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function imported(): Promise<void> {
    writeFileSync(
      join(dir, 'history.ndjson'),
      `${history(CUSTOMER, URL_WITH_EMAIL, CALL_REASON, 'mv-7781')}\n` +
        `${history(OTHER, 'https://shop.test/basket', 'Olaf Kett asked about returns', 'ok-1')}\n`,
    );
    const run = await rapport(['import', join(dir, 'history.ndjson')], env);
    expect(run.stdout).toContain('6 recorded, 0 duplicates, 0 rejected');
    expect(run.code).toBe(0);
    writeFileSync(join(dir, 'values.txt'), `${ERASED_VALUES.join('\n')}\n`);
  }

  describe('when the command line is incomplete or names nobody', () => {
    it('exits 2 without --reason, and 1 for a customer with no events, naming them', async () => {
      await imported();
      const noReason = await rapport(['erase', CUSTOMER], env);
      expect(noReason.code).toBe(2);
      expect(noReason.stderr).toContain('erase needs --reason');

      const nobody = await rapport(['erase', 'C-NOBODY', '--reason', 'ticket-1'], env);
      expect(nobody.code).toBe(1);
      expect(nobody.stderr).toContain('no events have been recorded for customer C-NOBODY');
    });
  });

  describe('when a customer is erased', () => {
    it('says it is not erased before (exit 6), erases (exit 0), then proves it (exit 0)', async () => {
      await imported();

      const before = await rapport(['erase', '--verify', CUSTOMER], env);
      expect(before.code).toBe(6);
      expect(before.stdout).toContain(`customer ${CUSTOMER} is NOT erased`);
      expect(before.stdout).toContain('the stream holds no CustomerErased event');

      const erased = await rapport(['erase', CUSTOMER, '--reason', 'ticket GDPR-17'], env);
      expect(erased.stderr).toBe('');
      expect(erased.code).toBe(0);
      expect(erased.stdout).toMatch(
        new RegExp(`^customer ${CUSTOMER} erased at position 7; key destroyed\\n$`),
      );

      const proof = await rapport(
        ['erase', '--verify', CUSTOMER, '--values', join(dir, 'values.txt'), '--json'],
        env,
      );
      expect(proof.code).toBe(0);
      const report = JSON.parse(proof.stdout);
      expect(report).toMatchObject({
        customerId: CUSTOMER,
        erased: true,
        eventsChecked: 4,
        valuesScanned: ERASED_VALUES.length,
        problems: [],
      });
      expect(report.scanned).toEqual(
        expect.arrayContaining([
          join(env.DATA_DIR, 'events.db'),
          join(env.DATA_DIR, 'keys.sqlite'),
        ]),
      );
      // What the CLI read back itself: no value in any file of the data directory.
      for (const name of readdirSync(env.DATA_DIR))
        expect(findValues(name, readFileSync(join(env.DATA_DIR, name)), ERASED_VALUES)).toEqual([]);

      const text = await rapport(
        ['erase', '--verify', CUSTOMER, '--values', join(dir, 'values.txt')],
        env,
      );
      expect(text.code).toBe(0);
      expect(text.stdout).toMatch(
        new RegExp(
          `^customer ${CUSTOMER} is erased: 4 events checked, 5 values not found in \\d+ places\\n$`,
        ),
      );

      const again = await rapport(['erase', CUSTOMER, '--reason', 'ticket GDPR-17', '--json'], env);
      expect(again.code).toBe(0);
      expect(JSON.parse(again.stdout)).toEqual({
        customerId: CUSTOMER,
        position: '7',
        appended: false,
        keyDestroyed: false,
        // Never merged: its profile is itself alone.
        members: [CUSTOMER],
      });

      // Another customer is not erased: the check says so for them.
      const other = await rapport(['erase', '--verify', OTHER], env);
      expect(other.code).toBe(6);
    });

    it('exits 6 when an erased value is still found, naming where but not the value', async () => {
      await imported();
      expect((await rapport(['erase', CUSTOMER, '--reason', 'ticket-9'], env)).code).toBe(0);
      const log = join(dir, 'platform.log');
      writeFileSync(
        log,
        `{"level":"info","msg":"call about ${encodeURIComponent(CALL_REASON)}"}\n`,
      );

      const found = await rapport(
        ['erase', '--verify', CUSTOMER, '--values', join(dir, 'values.txt'), '--logs', log],
        env,
      );
      expect(found.code).toBe(6);
      expect(found.stdout).toContain(`customer ${CUSTOMER} is NOT erased`);
      expect(found.stdout).toContain(`value #2 found (url) in ${log}`);
      for (const value of ERASED_VALUES) expect(found.stdout).not.toContain(value);
    });
  });
});
