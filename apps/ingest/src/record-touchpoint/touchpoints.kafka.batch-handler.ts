import { decodeTouchpointJson, type FieldProblem } from '@rapport/contract';
import type { Touchpoint } from '@rapport/domain';
import type { BatchOutcome, DeadLetter, InboundMessage } from '@rapport/messaging';
import type { TouchpointsKafkaMetrics } from './touchpoints.kafka.metrics';
import type { CustomerBatch, TouchpointRecorder } from '@rapport/recording';

/** Dead-letter codes for messages refused before the domain sees them. */
export const DECODE_ERROR_CODES = {
  invalidJson: 'INVALID_JSON',
  unknownType: 'UNKNOWN_TOUCHPOINT_TYPE',
  contract: 'CONTRACT_VIOLATION',
  keyMismatch: 'KEY_MISMATCH',
} as const;

/** A customer's touchpoints of the batch, with the messages they came in, in arrival order. */
interface CustomerMessages extends CustomerBatch {
  readonly touchpoints: Touchpoint[];
  readonly messages: InboundMessage[];
}

/**
 * One partition's batch: decode and validate every message, record the valid ones of all
 * customers with one TouchpointRecorder.record call (one appendMany, arrival order kept per
 * customer) and return the rest as dead letters. Any error thrown (the store is down) fails
 * the whole batch so that it is retried and none of it is committed.
 */
export class TouchpointsKafkaBatchHandler {
  constructor(
    private readonly recorder: TouchpointRecorder,
    private readonly metrics?: Pick<TouchpointsKafkaMetrics, 'recorded' | 'duplicate'>,
  ) {}

  async handle(messages: readonly InboundMessage[]): Promise<BatchOutcome> {
    const now = new Date();
    const decodeOptions = { now };
    const deadLetters: DeadLetter[] = [];
    const groups = new Map<string, CustomerMessages>();
    for (const message of messages) {
      const decoded = decodeTouchpointJson(message.value ?? '', decodeOptions);
      if (!decoded.ok) {
        deadLetters.push({ message, ...describeProblems(decoded.problems) });
        continue;
      }
      const { touchpoint } = decoded;
      const keyProblem = checkKey(message.key, touchpoint.customerId);
      if (keyProblem) {
        deadLetters.push({ message, code: DECODE_ERROR_CODES.keyMismatch, reason: keyProblem });
        continue;
      }
      const group = groups.get(touchpoint.customerId);
      if (group) {
        group.touchpoints.push(touchpoint);
        group.messages.push(message);
      } else {
        groups.set(touchpoint.customerId, {
          customerId: touchpoint.customerId,
          touchpoints: [touchpoint],
          messages: [message],
        });
      }
    }
    if (groups.size === 0) return { deadLetters };

    const first = messages[0];
    const batches = [...groups.values()];
    const results = await this.recorder.record(batches, {
      ingestedAt: now.toISOString(),
      correlationId: `kafka:${first.topic}/${first.partition}/${first.offset}`,
    });
    let recorded = 0;
    let duplicates = 0;
    batches.forEach((group, c) =>
      results[c].outcomes.forEach((outcome, k) => {
        if (outcome.status === 'recorded') recorded++;
        else if (outcome.status === 'duplicate') duplicates++;
        else
          deadLetters.push({
            message: group.messages[k],
            code: outcome.code,
            reason: outcome.reason,
          });
      }),
    );
    this.metrics?.recorded(first.topic, recorded);
    this.metrics?.duplicate(first.topic, duplicates);
    return { deadLetters };
  }
}

/**
 * The contract keys a message by its customerId: the key picks the partition, and one
 * partition's consumer is the single writer of the customer's stream. A message keyed otherwise
 * may be consumed beside another instance's writes of the same customer, or be meant for another
 * customer than its body names; either way it is refused. A message without a key is taken.
 */
function checkKey(key: Buffer | null, customerId: string): string | undefined {
  if (key === null) return undefined;
  if (key.length === customerId.length && key.toString('latin1') === customerId) return undefined;
  return `the message key ${JSON.stringify(key.toString('utf8'))} is not the body's customerId ${JSON.stringify(customerId)}: key each message by its customerId`;
}

function describeProblems(problems: readonly FieldProblem[]): { code: string; reason: string } {
  const reason = problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)).join('; ');
  if (
    problems.length === 1 &&
    problems[0].path === '' &&
    /not valid JSON/.test(problems[0].message)
  )
    return { code: DECODE_ERROR_CODES.invalidJson, reason };
  if (problems.some((p) => p.path === 'type'))
    return { code: DECODE_ERROR_CODES.unknownType, reason };
  return { code: DECODE_ERROR_CODES.contract, reason };
}
