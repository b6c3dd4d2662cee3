import { randomUUID } from 'node:crypto';
import { loadConfig, type KafkaConfig } from '@rapport/config';
import { KafkaMessagePublisher, type OutboundMessage } from '@rapport/messaging';

/** Fast timeouts for tests against the mock cluster; a unique topic and group per test. */
export function testKafkaEnv(
  brokers: string,
  env: Record<string, string> = {},
): Record<string, string> {
  const id = randomUUID().slice(0, 8);
  return {
    KAFKA_BROKERS: brokers,
    KAFKA_TOPIC: `touchpoints-${id}`,
    KAFKA_GROUP_ID: `ingest-${id}`,
    KAFKA_MAX_WAIT_MS: '100',
    KAFKA_SESSION_TIMEOUT_MS: '6000',
    KAFKA_HEARTBEAT_INTERVAL_MS: '500',
    KAFKA_RETRY_INITIAL_MS: '50',
    KAFKA_RETRY_MAX_MS: '400',
    KAFKA_RETRY_ATTEMPTS_BEFORE_PAUSE: '2',
    ...env,
  };
}

export function testKafkaConfig(brokers: string, env: Record<string, string> = {}): KafkaConfig {
  return loadConfig(testKafkaEnv(brokers, env)).kafka!;
}

let sequence = 0;

export function webVisit(customerId: string, overrides: Record<string, unknown> = {}) {
  sequence += 1;
  return {
    touchpointId: `web-${sequence}-${randomUUID().slice(0, 6)}`,
    source: 'web',
    customerId,
    type: 'web_visit',
    occurredAt: '2026-03-01T10:00:00Z',
    channel: 'web',
    data: { url: `https://shop.example/p/${sequence}` },
    ...overrides,
  };
}

export function purchase(customerId: string, orderId: string, minor: number) {
  return webVisit(customerId, {
    touchpointId: `pos-${customerId}-${orderId}`,
    source: 'pos',
    type: 'purchase',
    channel: 'store',
    data: { orderId, amount: { minor, currency: 'EUR' } },
  });
}

export function cancellation(customerId: string, orderId: string) {
  return webVisit(customerId, {
    touchpointId: `cancel-${orderId}-${randomUUID().slice(0, 6)}`,
    source: 'pos',
    type: 'cancellation',
    channel: 'store',
    data: { orderId },
  });
}

/** A touchpoint keyed by its customer, as channel systems publish it. */
export function keyed(touchpoint: { customerId: string }): OutboundMessage {
  return { key: touchpoint.customerId, value: JSON.stringify(touchpoint) };
}

export async function publish(
  config: KafkaConfig,
  messages: readonly OutboundMessage[],
): Promise<void> {
  const publisher = new KafkaMessagePublisher(config);
  await publisher.connect();
  try {
    await publisher.publish(config.topic, messages);
  } finally {
    await publisher.disconnect();
  }
}

export async function until(
  condition: () => Promise<boolean> | boolean,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
