import { DECODE_FAILURE_CODES, decodeTouchpointJson, type FieldProblem } from '@rapport/contract';
import type { Touchpoint } from '@rapport/domain';
import type { BatchOutcome, DeadLetter, InboundMessage } from '@rapport/messaging';
import type { TouchpointsKafkaMetrics } from './touchpoints.kafka.metrics';
import {
  RecordTouchpointsCommand,
  tallyOutcomes,
  type TouchpointRecording,
} from '@rapport/recording';

/** Dead-letter codes for messages refused before the domain sees them. */
export const DECODE_ERROR_CODES = {
  ...DECODE_FAILURE_CODES,
  keyMismatch: 'KEY_MISMATCH',
} as const;

/**
 * One partition's batch: decode and validate every message, record the valid ones of all
 * customers with one RecordTouchpointsCommand (one appendMany, arrival order kept per
 * customer) and return the rest as dead letters. Any error thrown (the store is down) fails
 * the whole batch so that it is retried and none of it is committed.
 */
export class TouchpointsKafkaBatchHandler {
  constructor(
    private readonly commandBus: TouchpointRecording,
    private readonly metrics?: Pick<TouchpointsKafkaMetrics, 'recorded' | 'duplicate'>,
  ) {}

  async handle(messages: readonly InboundMessage[]): Promise<BatchOutcome> {
    const now = new Date();
    const decodeOptions = { now };
    const deadLetters: DeadLetter[] = [];
    const touchpoints: Touchpoint[] = [];
    /** The message each touchpoint came in. */
    const carriers: InboundMessage[] = [];
    for (const message of messages) {
      const decoded = decodeTouchpointJson(message.value ?? '', decodeOptions);
      if (!decoded.ok) {
        deadLetters.push({ message, code: decoded.code, reason: describe(decoded.problems) });
        continue;
      }
      const { touchpoint } = decoded;
      const keyProblem = checkKey(message.key, touchpoint.customerId);
      if (keyProblem) {
        deadLetters.push({ message, code: DECODE_ERROR_CODES.keyMismatch, reason: keyProblem });
        continue;
      }
      touchpoints.push(touchpoint);
      carriers.push(message);
    }
    if (touchpoints.length === 0) return { deadLetters };

    const first = messages[0];
    const result = await this.commandBus.execute(
      new RecordTouchpointsCommand(touchpoints, {
        ingestedAt: now.toISOString(),
        correlationId: `kafka:${first.topic}/${first.partition}/${first.offset}`,
      }),
    );
    const { recorded, duplicates, rejected } = tallyOutcomes(result.items);
    for (const { index, code, reason } of rejected)
      deadLetters.push({ message: carriers[index], code, reason });
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

function describe(problems: readonly FieldProblem[]): string {
  return problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)).join('; ');
}
