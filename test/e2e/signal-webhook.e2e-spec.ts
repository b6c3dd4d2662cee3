import { createServer, type IncomingMessage, type Server } from 'node:http';
import request from 'supertest';
import { verifyWebhook } from '@rapport/signal-delivery';
import { eventually, startPlatform, type RunningPlatform } from '@rapport/test-support';

const SECRET = 'e2e-webhook-secret-0123456789abcdef';

interface Received {
  readonly id: string;
  readonly customer: string;
  readonly body: string;
  readonly verified: boolean;
  readonly at: number;
}

/**
 * A CRM's receiver on 127.0.0.1: checks each signature over the raw body, and answers by the
 * signal's customer: C-flaky fails its first attempt with a 500, C-down always answers 503.
 */
async function receiver() {
  const received: Received[] = [];
  const server: Server = createServer((req: IncomingMessage, response) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      const id = String(req.headers['idempotency-key']);
      const customer = (JSON.parse(body) as { subject: { id: string } }).subject.id;
      const verified = verifyWebhook(
        SECRET,
        req.headers['rapport-signature'] as string | undefined,
        body,
        Math.floor(Date.now() / 1000),
      ).ok;
      received.push({ id, customer, body, verified, at: performance.now() });
      const nth = received.filter((r) => r.id === id).length;
      response.statusCode =
        customer === 'C-down' ? 503 : customer === 'C-flaky' && nth === 1 ? 500 : 204;
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

const OK = Array.from({ length: 8 }, (_, i) => `C-ok-${i}`);

describe('signal webhook on the platform (a local HTTP receiver)', () => {
  let platform: RunningPlatform;
  let crm: Awaited<ReturnType<typeof receiver>>;

  beforeAll(async () => {
    crm = await receiver();
    platform = await startPlatform({
      SIGNALS_WEBHOOK_URL: crm.url,
      SIGNALS_WEBHOOK_SECRET: SECRET,
      SIGNALS_WEBHOOK_MAX_ATTEMPTS: '3',
      SIGNALS_WEBHOOK_RETRY_BASE_MS: '100',
      SIGNALS_WEBHOOK_RETRY_MAX_MS: '400',
      SIGNALS_WEBHOOK_RATE_PER_SECOND: '5',
    });
  }, 120_000);

  afterAll(async () => {
    await platform?.destroy();
    await crm?.close();
  }, 60_000);

  it('when first purchases are recorded, then each thank-you reaches the receiver signed, a 500 is retried with the same id and bytes, a receiver that keeps failing gets it dead-lettered after the attempts, and requests keep to the rate', async () => {
    const customers = [...OK, 'C-flaky', 'C-down'];
    await request(platform.url)
      .post('/v1/touchpoints')
      .set(platform.auth('ingest'))
      .send(
        customers.map((customerId, i) => ({
          touchpointId: `wh-${i}`,
          source: 'pos',
          customerId,
          type: 'purchase',
          occurredAt: `2026-03-01T10:${String(i).padStart(2, '0')}:00Z`,
          channel: 'store',
          data: { orderId: `O-${i}`, amount: { minor: 1_000 + i, currency: 'EUR' } },
        })),
      )
      .expect(202);

    const metric = (text: string, name: string) =>
      Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(text)?.[1]);
    const metrics = await eventually(async () => {
      const text = (await request(platform.url).get('/metrics').set(platform.auth('admin'))).text;
      expect(metric(text, 'rapport_signal_webhook_entries\\{state="dead"\\}')).toBe(1);
      expect(metric(text, 'rapport_signal_webhook_entries\\{state="pending"\\}')).toBe(0);
      return text;
    }, 60_000);
    expect(metric(metrics, 'rapport_signal_webhook_dead_lettered_total')).toBe(1);
    expect(metric(metrics, 'rapport_signal_webhook_entries\\{state="delivered"\\}')).toBe(
      customers.length - 1,
    );

    const { received } = crm;
    expect(received.every((r) => r.verified)).toBe(true);
    const byCustomer = (customer: string) => received.filter((r) => r.customer === customer);
    for (const customer of OK) expect(byCustomer(customer)).toHaveLength(1);
    const flaky = byCustomer('C-flaky');
    expect(flaky).toHaveLength(2);
    expect(new Set(flaky.map((r) => `${r.id} ${r.body}`)).size).toBe(1);
    expect(byCustomer('C-down')).toHaveLength(3);

    // At most 5 a second: never more than 5 sent in a second, plus 2 for arrival jitter on a
    // loaded machine (without the limit all 13 arrive within a fraction of a second).
    const at = received.map((r) => r.at).sort((a, b) => a - b);
    const inAnySecond = Math.max(
      ...at.map((t) => at.filter((u) => u >= t && u < t + 1_000).length),
    );
    expect(inAnySecond).toBeLessThanOrEqual(7);
  }, 120_000);
});
