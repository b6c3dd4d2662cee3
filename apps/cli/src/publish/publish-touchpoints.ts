import { createReadStream, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { Presets, SingleBar } from 'cli-progress';
import { loadConfig } from '@rapport/config';
import { decodeTouchpointJson, messageKeyOf } from '@rapport/contract';
import { KafkaMessagePublisher, type OutboundMessage } from '@rapport/messaging';

export interface PublishOptions {
  readonly brokers?: string;
  readonly topic?: string;
  readonly batchSize: number;
  readonly validate: boolean;
}

export interface PublishSummary {
  readonly sent: number;
  readonly invalid: number;
  readonly text: string;
}

const MAX_LISTED_PROBLEMS = 20;

/**
 * Streams the file line by line: each valid touchpoint is sent as it was written (the bytes of
 * its line) with its customerId as key, so one customer's touchpoints share a partition and
 * keep their order. Lines that break the contract are listed and not sent.
 */
export async function publishTouchpoints(
  file: string,
  options: PublishOptions,
): Promise<PublishSummary> {
  const kafka = loadConfig({
    ...process.env,
    ...(options.brokers ? { KAFKA_BROKERS: options.brokers } : {}),
    ...(options.topic ? { KAFKA_TOPIC: options.topic } : {}),
  }).kafka;
  if (!kafka) throw new Error('no Kafka brokers: pass --brokers host:port or set KAFKA_BROKERS');
  const totalBytes = statSync(file).size;

  const publisher = new KafkaMessagePublisher(kafka);
  await publisher.connect();
  const bar = new SingleBar(
    {
      format:
        'publishing |{bar}| {percentage}% | {sent} sent | {invalid} invalid | {eta_formatted}',
      stream: process.stderr,
      hideCursor: true,
    },
    Presets.shades_classic,
  );
  bar.start(totalBytes, 0, { sent: 0, invalid: 0 });
  const started = Date.now();
  const customers = new Set<string>();
  const problems: string[] = [];
  let sent = 0;
  let invalid = 0;
  let bytes = 0;
  let lineNumber = 0;
  let pending: OutboundMessage[] = [];
  const flush = async () => {
    await publisher.publish(kafka.topic, pending);
    sent += pending.length;
    pending = [];
    bar.update(bytes, { sent, invalid });
  };
  try {
    const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
    const now = new Date();
    for await (const line of lines) {
      lineNumber++;
      bytes += Buffer.byteLength(line) + 1;
      if (!line.trim()) continue;
      const key = keyOf(line, options.validate, now);
      if (key.ok) {
        if (key.customerId) customers.add(key.customerId);
        pending.push({ key: key.customerId, value: line });
        if (pending.length >= options.batchSize) await flush();
      } else {
        invalid++;
        if (problems.length < MAX_LISTED_PROBLEMS)
          problems.push(`  line ${lineNumber}: ${key.problem}`);
      }
    }
    await flush();
    bar.update(totalBytes, { sent, invalid });
  } finally {
    bar.stop();
    await publisher.disconnect();
  }
  const seconds = (Date.now() - started) / 1000;
  const text = [
    `published ${sent} touchpoints for ${customers.size} customers to "${kafka.topic}" ` +
      `in ${seconds.toFixed(1)} s (${Math.round(sent / Math.max(seconds, 0.001))}/s)`,
    ...(invalid
      ? [
          `${invalid} lines break the contract and were not sent:`,
          ...problems,
          ...(invalid > problems.length ? [`  … and ${invalid - problems.length} more`] : []),
        ]
      : []),
  ].join('\n');
  return { sent, invalid, text: `${text}\n` };
}

type KeyResult =
  | { readonly ok: true; readonly customerId: string | null }
  | { readonly ok: false; readonly problem: string };

function keyOf(line: string, validate: boolean, now: Date): KeyResult {
  if (validate) {
    const decoded = decodeTouchpointJson(line, { now });
    if (decoded.ok) return { ok: true, customerId: messageKeyOf(decoded.touchpoint) };
    return {
      ok: false,
      problem: decoded.problems
        .map((p) => (p.path ? `${p.path}: ${p.message}` : p.message))
        .join('; '),
    };
  }
  try {
    const customerId = (JSON.parse(line) as { customerId?: unknown }).customerId;
    return { ok: true, customerId: typeof customerId === 'string' ? customerId : null };
  } catch {
    return { ok: true, customerId: null };
  }
}
