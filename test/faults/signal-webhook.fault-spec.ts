import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventIdFor } from '@rapport/domain';
import { verifyWebhook } from '@rapport/signal-delivery';
import { signalId } from '@rapport/signals';
import { spawnPlatform } from './support/child-platform';
import { waitUntil } from './support/consistency';
import { DirectWriter } from './support/direct-writer';
import { report } from './support/fault-report';
import { faultSeed, SeededRandom } from './support/seeded-random';
import type { TouchpointMessage } from './support/touchpoints';

const KILLS = Number(process.env.FAULT_KILLS ?? 10);
const PER_ROUND = 200;
/** The receiver holds each answer this long, so that a kill finds requests in flight. */
const ANSWER_DELAY_MS = 15;
const SECRET = 'fault-webhook-secret-0123456789abcdef';
jest.setTimeout(15 * 60_000);

/**
 * A CRM's receiver that de-duplicates by signal id, as the README tells receivers to: it keeps
 * each id's bodies and counts every request, so redeliveries are counted, not hidden.
 */
async function deduplicatingReceiver() {
  const bodies = new Map<string, Set<string>>();
  let requests = 0;
  let badSignatures = 0;
  const server: Server = createServer((req: IncomingMessage, response) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      requests += 1;
      const signature = req.headers['rapport-signature'] as string | undefined;
      if (!verifyWebhook(SECRET, signature, body, Math.floor(Date.now() / 1000)).ok)
        badSignatures += 1;
      const id = String(req.headers['idempotency-key']);
      if (!bodies.has(id)) bodies.set(id, new Set());
      bodies.get(id)!.add(body);
      setTimeout(() => {
        response.statusCode = 204;
        response.end();
      }, ANSWER_DELAY_MS);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/hooks/rapport`,
    bodies,
    requests: () => requests,
    badSignatures: () => badSignatures,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('signal webhook: SIGKILL while deliveries are in flight', () => {
  it('ends with every signal delivered at least once under its id, one content each, none lost', async () => {
    const crm = await deduplicatingReceiver();
    const dir = mkdtempSync(join(tmpdir(), 'rapport-fault-webhook-'));
    const seed = faultSeed(3_131);
    const random = new SeededRandom(seed);
    const env = {
      DATA_DIR: dir,
      SIGNALS_WEBHOOK_URL: crm.url,
      SIGNALS_WEBHOOK_SECRET: SECRET,
      SIGNALS_WEBHOOK_RATE_PER_SECOND: '1000',
      SIGNALS_WEBHOOK_RETRY_BASE_MS: '50',
      SIGNALS_WEBHOOK_RETRY_MAX_MS: '500',
      SIGNALS_WEBHOOK_START: 'backfill',
    };
    const writer = new DirectWriter(join(dir, 'events.db'));
    const expected = new Set<string>();
    let sequence = 0;
    // Each new customer's first purchase, an hour back: one thank-you each, due and not expired.
    const round = async () => {
      const occurredAt = new Date(Date.now() - 3_600_000).toISOString();
      const messages: TouchpointMessage[] = Array.from({ length: PER_ROUND }, () => {
        const n = ++sequence;
        const customerId = `W-${n}`;
        const touchpointId = `webhook-fault-${n}`;
        expected.add(
          signalId(
            'thank-you',
            1,
            { kind: 'customer', id: customerId },
            `first-purchase:${eventIdFor('fault', touchpointId)}`,
          ),
        );
        return {
          touchpointId,
          source: 'fault',
          customerId,
          type: 'purchase',
          occurredAt,
          channel: 'web',
          data: { orderId: `O-${n}`, amount: { minor: 100 + n, currency: 'EUR' } },
        } as TouchpointMessage;
      });
      await writer.record(messages);
    };
    const delivered = () => [...expected].filter((id) => crm.bodies.has(id)).length;
    let killsMidDelivery = 0;
    try {
      for (let kill = 0; kill < KILLS; kill++) {
        const child = spawnPlatform(env);
        try {
          await child.ready;
          const before = delivered();
          await round();
          // Seeded in delivered signals: the kill comes once delivery got that far.
          const target = before + random.int(1, PER_ROUND - 1);
          await waitUntil(() => delivered() >= target, 60_000, 'the kill point', 1);
          await child.kill();
          if (delivered() < expected.size) killsMidDelivery++;
        } finally {
          await child.kill();
        }
      }
      const child = spawnPlatform(env);
      try {
        await child.ready;
        await waitUntil(() => delivered() >= expected.size, 120_000, 'every signal delivered', 50);
      } finally {
        await child.stop();
      }

      const missing = [...expected].filter((id) => !crm.bodies.has(id));
      const unexpected = [...crm.bodies.keys()].filter((id) => !expected.has(id));
      const twoContents = [...crm.bodies].filter(([, b]) => b.size > 1).map(([id]) => id);
      expect({ missing, unexpected, twoContents, badSignatures: crm.badSignatures() }).toEqual({
        missing: [],
        unexpected: [],
        twoContents: [],
        badSignatures: 0,
      });
      report('signal webhook', {
        seed,
        kills: KILLS,
        killsMidDelivery,
        signals: expected.size,
        requests: crm.requests(),
        redelivered: crm.requests() - crm.bodies.size,
      });
    } finally {
      await writer.close();
      await crm.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
