import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_SIGNAL_RULES, signalContent, type Signal } from '@rapport/signals';
import { given, purchase } from '@rapport/signals/testing';
import { SqliteSignalLedger } from '../ledger/sqlite.signal-ledger';
import {
  NODE_WEBHOOK_ENVIRONMENT,
  SignalWebhook,
  type SignalWebhookOptions,
} from './signal-webhook';
import { SqliteWebhookLedger } from './sqlite.webhook-ledger';
import { verifyWebhook } from './webhook-signature';

const SECRET = 'test-webhook-secret-0123456789';

interface Received {
  readonly id: string;
  readonly body: string;
  readonly verified: boolean;
  readonly at: number;
}

/** A receiver on 127.0.0.1 that verifies each request and answers what `answer` says. */
async function receiver(answer: (id: string, nth: number) => number) {
  const received: Received[] = [];
  const server: Server = createServer((request: IncomingMessage, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      const id = String(request.headers['idempotency-key']);
      const verification = verifyWebhook(
        SECRET,
        request.headers['rapport-signature'] as string | undefined,
        body,
        Math.floor(Date.now() / 1000),
      );
      received.push({ id, body, verified: verification.ok, at: Date.now() });
      response.statusCode = answer(id, received.filter((r) => r.id === id).length);
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/hooks/rapport`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('signal webhook (a local HTTP receiver)', () => {
  let dir: string;
  let path: string;
  let signals: Signal[];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rapport-webhook-'));
    path = join(dir, 'signals.db');
    signals = ['C-1', 'C-2', 'C-3'].flatMap((customerId, i) =>
      given(purchase(`O-${i}`, 1000 * (i + 1), '2026-03-01T10:00:00Z', customerId)).signals(
        DEFAULT_SIGNAL_RULES,
        '2026-03-02T00:00:00Z',
      ),
    );
    const ledger = new SqliteSignalLedger(path);
    ledger.record(signals, 10n, { position: 10n, watermark: '2026-03-02T00:00:00Z' });
    ledger.close();
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const options = (url: string, more: Partial<SignalWebhookOptions> = {}) => ({
    url,
    secret: SECRET,
    maxAttempts: 3,
    ratePerSecond: 1_000,
    retry: { baseMs: 5, maxMs: 20 },
    timeoutMs: 5_000,
    ...more,
  });

  /** Steps until nothing is pending (retries are a few ms apart here). */
  async function drain(webhook: SignalWebhook, ledger: SqliteWebhookLedger): Promise<void> {
    for (let i = 0; i < 200; i += 1) {
      await webhook.step('2026-03-02T00:00:00Z');
      if (ledger.counts().pending === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error(`still pending: ${JSON.stringify(ledger.counts())}`);
  }

  it('when the receiver answers 500 once, then the signal is sent again with the same id and bytes, signed, and delivered', async () => {
    const server = await receiver((id, nth) => (id === signals[1].id && nth === 1 ? 500 : 204));
    const ledger = new SqliteWebhookLedger(path);
    try {
      await drain(new SignalWebhook(ledger, options(server.url)), ledger);
      expect(server.received.every((r) => r.verified)).toBe(true);
      const second = server.received.filter((r) => r.id === signals[1].id);
      expect(second).toHaveLength(2);
      expect(second.map((r) => r.body)).toEqual([
        signalContent(signals[1]),
        signalContent(signals[1]),
      ]);
      expect(server.received).toHaveLength(4);
      expect(ledger.counts()).toMatchObject({ delivered: 3, pending: 0, dead: 0 });
    } finally {
      ledger.close();
      await server.close();
    }
  });

  it('when the receiver keeps failing, then the signal is dead-lettered after N attempts with the reason, and the others go on', async () => {
    const server = await receiver((id) => (id === signals[0].id ? 503 : 200));
    const ledger = new SqliteWebhookLedger(path);
    const dead: string[] = [];
    try {
      const webhook = new SignalWebhook(ledger, options(server.url), undefined, (id) =>
        dead.push(id),
      );
      await drain(webhook, ledger);
      expect(server.received.filter((r) => r.id === signals[0].id)).toHaveLength(3);
      expect(dead).toEqual([signals[0].id]);
      expect(ledger.deadLetters()).toEqual([
        expect.objectContaining({ signalId: signals[0].id, attempts: 3, error: 'HTTP 503' }),
      ]);
      expect(ledger.counts()).toMatchObject({ delivered: 2, dead: 1 });
    } finally {
      ledger.close();
      await server.close();
    }
  });

  it('when the receiver refuses with 400, then it is dead-lettered at once (not retried)', async () => {
    const server = await receiver(() => 400);
    const ledger = new SqliteWebhookLedger(path);
    try {
      await drain(new SignalWebhook(ledger, options(server.url)), ledger);
      expect(server.received).toHaveLength(3);
      expect(ledger.counts()).toMatchObject({ dead: 3 });
    } finally {
      ledger.close();
      await server.close();
    }
  });

  it('when the process restarts, then delivered signals are not sent again and new ones are', async () => {
    const server = await receiver(() => 200);
    try {
      let ledger = new SqliteWebhookLedger(path);
      await drain(new SignalWebhook(ledger, options(server.url)), ledger);
      ledger.close();
      expect(server.received).toHaveLength(3);

      const more = given(purchase('O-9', 500, '2026-03-01T12:00:00Z', 'C-9')).signals(
        DEFAULT_SIGNAL_RULES,
        '2026-03-02T00:00:00Z',
      );
      const signalLedger = new SqliteSignalLedger(path);
      signalLedger.record(more, 11n);
      signalLedger.close();
      ledger = new SqliteWebhookLedger(path);
      await drain(new SignalWebhook(ledger, options(server.url)), ledger);
      ledger.close();
      expect(server.received.map((r) => r.id)).toEqual([...signals, ...more].map((s) => s.id));
    } finally {
      await server.close();
    }
  });

  it('when a rate limit is set, then requests are spaced at least 1/rate apart', async () => {
    const server = await receiver(() => 200);
    const ledger = new SqliteWebhookLedger(path);
    try {
      // When each request is sent, not when it arrives: on a loaded machine the receiver's
      // arrivals jitter, which says nothing of the spacing the webhook kept.
      const sentAt: number[] = [];
      const environment = {
        ...NODE_WEBHOOK_ENVIRONMENT,
        post: (...args: Parameters<typeof NODE_WEBHOOK_ENVIRONMENT.post>) => {
          sentAt.push(performance.now());
          return NODE_WEBHOOK_ENVIRONMENT.post(...args);
        },
      };
      const webhook = new SignalWebhook(
        ledger,
        options(server.url, { ratePerSecond: 5 }),
        environment,
      );
      await drain(webhook, ledger);
      expect(sentAt).toHaveLength(3);
      for (let i = 1; i < sentAt.length; i += 1)
        expect(sentAt[i] - sentAt[i - 1]).toBeGreaterThanOrEqual(195);
    } finally {
      ledger.close();
      await server.close();
    }
  });

  it('when first switched on with start "now" over a ledger holding signals, then only those derived afterwards are sent, also after a restart; "backfill" sends the ones there too', async () => {
    const server = await receiver(() => 200);
    const more = given(purchase('O-9', 500, '2026-03-01T12:00:00Z', 'C-9')).signals(
      DEFAULT_SIGNAL_RULES,
      '2026-03-02T00:00:00Z',
    );
    try {
      let ledger = new SqliteWebhookLedger(path, 'now');
      await drain(new SignalWebhook(ledger, options(server.url)), ledger);
      ledger.close();
      expect(server.received).toEqual([]);

      const signalLedger = new SqliteSignalLedger(path);
      signalLedger.record(more, 11n);
      signalLedger.close();
      // A restart with "now" keeps the cursor: the new signal goes, the old ones still do not.
      ledger = new SqliteWebhookLedger(path, 'now');
      await drain(new SignalWebhook(ledger, options(server.url)), ledger);
      ledger.close();
      expect(server.received.map((r) => r.id)).toEqual(more.map((s) => s.id));

      const other = join(dir, 'other.db');
      const backfilled = new SqliteSignalLedger(other);
      backfilled.record(signals, 10n, { position: 10n, watermark: '2026-03-02T00:00:00Z' });
      backfilled.close();
      ledger = new SqliteWebhookLedger(other, 'backfill');
      await drain(new SignalWebhook(ledger, options(server.url)), ledger);
      ledger.close();
      expect(server.received.slice(more.length).map((r) => r.id)).toEqual(signals.map((s) => s.id));
    } finally {
      await server.close();
    }
  });
});
