import {
  DECODE_FAILURE_CODES,
  decodeTouchpointJson,
  keyNamesTouchpoint,
  type DecodeOptions,
  type FieldProblem,
} from '@rapport/contract';
import type { IncomingTouchpoint } from '@rapport/domain';
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
    private readonly identifiers?: DecodeOptions['identifiers'],
  ) {}

  async handle(messages: readonly InboundMessage[]): Promise<BatchOutcome> {
    const now = new Date();
    const decodeOptions = { now, identifiers: this.identifiers };
    const deadLetters: DeadLetter[] = [];
    const touchpoints: IncomingTouchpoint[] = [];
    /** The message each touchpoint came in. */
    const carriers: InboundMessage[] = [];
    for (const message of messages) {
      const decoded = decodeTouchpointJson(message.value ?? '', decodeOptions);
      if (!decoded.ok) {
        deadLetters.push({ message, code: decoded.code, reason: describe(decoded.problems) });
        continue;
      }
      const { touchpoint } = decoded;
      const keyProblem = checkKey(message.key, touchpoint);
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
 * The contract keys a message by its customerId, or by one of its identifiers: the key picks
 * the partition. A message keyed by something its body does not name may be meant for another
 * customer than its body names; it is refused. A message without a key is taken. (Appends stay
 * correct across partitions: every write carries an expected revision.)
 */
function checkKey(key: Buffer | null, touchpoint: IncomingTouchpoint): string | undefined {
  if (key === null) return undefined;
  const { customerId } = touchpoint;
  if (
    customerId !== undefined &&
    key.length === customerId.length &&
    key.toString('latin1') === customerId
  )
    return undefined;
  if (keyNamesTouchpoint(key.toString('utf8'), touchpoint)) return undefined;
  const named = customerId === undefined ? 'identifiers' : 'customerId or identifiers';
  return `the message key ${JSON.stringify(key.toString('utf8'))} is not the body's ${named}: key each message by its customerId or one of its identifiers (type:value)`;
}

function describe(problems: readonly FieldProblem[]): string {
  return problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)).join('; ');
}
