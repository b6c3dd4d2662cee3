import type { BatchHandler, DeadLetter, InboundMessage, MessageConsumer } from '@rapport/messaging';
import {
  ENVELOPE_PREFIX,
  ERASED_VALUE,
  envelopeKeyId,
  isEnvelope,
  openField,
  sealField,
  type DataKey,
} from '../fields/field-cipher';
import type { KeyStore } from '../keys/key-store.port';

const ERASED_LETTER = Buffer.from(JSON.stringify(ERASED_VALUE), 'utf8');

/**
 * Kafka cannot delete one message from a topic, so a dead letter's value is sealed with its
 * customer's key (the message key: Kafka keys touchpoints by customer) before it is published:
 * the customer's erasure shreds their dead letters along with their events. The value becomes
 * the text of an envelope; `openDeadLetterValue` gives it back for a re-drive. A message
 * without a key cannot be told apart by customer and is dead-lettered as it came (README).
 */
export class SealingMessageConsumer implements MessageConsumer {
  constructor(
    private readonly inner: MessageConsumer,
    private readonly keys: KeyStore,
  ) {}

  start(handler: BatchHandler): Promise<void> {
    return this.inner.start(async (sent, controls) => {
      // A re-driven dead letter comes back sealed: it is decided on what was first sent.
      const messages = await openRedriven(sent, this.keys);
      const outcome = await handler(messages, controls);
      if (outcome.deadLetters.length === 0) return outcome;
      return { ...outcome, deadLetters: await sealDeadLetters(outcome.deadLetters, this.keys) };
    });
  }

  stop(): Promise<void> {
    return this.inner.stop();
  }
}

export async function sealDeadLetters(
  letters: readonly DeadLetter[],
  keys: KeyStore,
): Promise<DeadLetter[]> {
  const owners = [...new Set(letters.map(ownerOf).filter((o): o is string => o !== undefined))];
  const found = owners.length ? await keys.getOrCreateMany(owners) : new Map<string, DataKey>();
  return letters.map((letter) => {
    const owner = ownerOf(letter);
    const { value } = letter.message;
    if (owner === undefined || value === null) return letter;
    const key = found.get(owner);
    // An erased customer gets no key again: what they sent after their erasure is not kept.
    if (!key) return { ...letter, message: { ...letter.message, value: ERASED_LETTER } };
    const sealed = sealField(key, deadLetterAssociation(owner), value.toString('base64'));
    return { ...letter, message: { ...letter.message, value: Buffer.from(sealed, 'utf8') } };
  });
}

/** The value's bytes as they came, or undefined when its key is gone (erased). */
export async function openDeadLetterBytes(
  customerId: string,
  envelope: string,
  keys: KeyStore,
): Promise<Buffer | undefined> {
  const key = (await keys.getMany([customerId])).get(customerId);
  if (!key || envelopeKeyId(envelope) !== key.keyId) return undefined;
  return Buffer.from(
    openField(key, deadLetterAssociation(customerId), envelope) as string,
    'base64',
  );
}

/** The value as text, as it came; undefined when erased; a value never sealed as it is. */
export async function openDeadLetterValue(
  customerId: string | null,
  value: string | null,
  keys: KeyStore,
): Promise<string | null | undefined> {
  if (customerId === null || value === null || !isEnvelope(value)) return value;
  return (await openDeadLetterBytes(customerId, value, keys))?.toString('utf8');
}

async function openRedriven(
  messages: readonly InboundMessage[],
  keys: KeyStore,
): Promise<readonly InboundMessage[]> {
  if (
    !messages.some((m) => m.value !== null && m.value.subarray(0, 7).toString() === ENVELOPE_PREFIX)
  )
    return messages;
  const opened: InboundMessage[] = [];
  for (const message of messages) {
    const value = message.value?.toString('utf8') ?? null;
    if (!isEnvelope(value)) {
      opened.push(message);
      continue;
    }
    const owner = message.key?.toString('utf8');
    const bytes = owner ? await openDeadLetterBytes(owner, value, keys) : undefined;
    // Erased meanwhile: nothing left to decide; it fails as a value that is no touchpoint.
    opened.push({ ...message, value: bytes ?? Buffer.from('"(erased)"') });
  }
  return opened;
}

function deadLetterAssociation(customerId: string): string {
  return `dead-letter/${customerId}`;
}

function ownerOf(letter: DeadLetter): string | undefined {
  const key = letter.message.key?.toString('utf8');
  return key ? key : undefined;
}
