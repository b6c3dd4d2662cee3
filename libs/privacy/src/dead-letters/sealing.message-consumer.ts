import { Logger } from '@nestjs/common';
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
import {
  customerOfLetter,
  SEALED_FOR_HEADER,
  sweepUnattributedKeys,
  unattributedOwner,
} from './dead-letter-owner';

const ERASED_LETTER = Buffer.from(JSON.stringify(ERASED_VALUE), 'utf8');

/** How often a running consumer destroys the day keys whose time is up. */
const SWEEP_EVERY_MS = 3_600_000;

export interface DeadLetterSealing {
  /** Days a letter that names no customer stays readable after its UTC day (DEAD_LETTER_KEY_DAYS). */
  readonly unattributedKeyDays: number;
  /** The wall clock: which day key seals an unattributed letter, and which ones expired. */
  readonly now?: () => Date;
}

/**
 * Kafka cannot delete one message from a topic, so a dead letter's value is sealed before it is
 * published, and the key it is sealed with is named in its `rapport.sealed-for` header:
 * - the customer's key, found from the message key (Kafka keys touchpoints by customer) or,
 *   without one, from the `customerId` of a value that parses: their erasure shreds it with
 *   their events; an erased customer's letter keeps no value at all ("(erased)");
 * - a value that names no customer (not JSON, no customerId) cannot be attributed, so no
 *   erasure could find it: it is sealed with the key of its UTC day, destroyed
 *   `unattributedKeyDays` after that day (at start and every hour), which shreds it whatever
 *   it held. `rapport erase --verify` opens the ones still readable and scans them too.
 * `openDeadLetterValue` gives a value back for a re-drive.
 */
export class SealingMessageConsumer implements MessageConsumer {
  private readonly logger = new Logger('PersonalData');
  private sweeper?: NodeJS.Timeout;

  constructor(
    private readonly inner: MessageConsumer,
    private readonly keys: KeyStore,
    private readonly sealing: DeadLetterSealing,
  ) {}

  async start(handler: BatchHandler): Promise<void> {
    await this.sweep();
    this.sweeper = setInterval(() => void this.sweep(), SWEEP_EVERY_MS);
    this.sweeper.unref();
    return this.inner.start(async (sent, controls) => {
      // A re-driven dead letter comes back sealed: it is decided on what was first sent.
      const messages = await openRedriven(sent, this.keys);
      const outcome = await handler(messages, controls);
      if (outcome.deadLetters.length === 0) return outcome;
      return {
        ...outcome,
        deadLetters: await sealDeadLetters(outcome.deadLetters, this.keys, this.now()),
      };
    });
  }

  stop(): Promise<void> {
    clearInterval(this.sweeper);
    return this.inner.stop();
  }

  private now(): Date {
    return this.sealing.now?.() ?? new Date();
  }

  private async sweep(): Promise<void> {
    try {
      const days = await sweepUnattributedKeys(
        this.keys,
        this.now(),
        this.sealing.unattributedKeyDays,
      );
      if (days.length)
        this.logger.log(`dead letters naming no customer shredded for ${days.join(', ')}`);
    } catch (error) {
      // The next sweep tries again; the letters stay sealed meanwhile.
      this.logger.warn(`dead-letter key sweep failed: ${String(error)}`);
    }
  }
}

export async function sealDeadLetters(
  letters: readonly DeadLetter[],
  keys: KeyStore,
  now: Date,
): Promise<DeadLetter[]> {
  const owners = letters.map((letter) =>
    letter.message.value === null
      ? undefined
      : (customerOfLetter(letter.message) ?? unattributedOwner(now)),
  );
  const wanted = [...new Set(owners.filter((o): o is string => o !== undefined))];
  const found = wanted.length ? await keys.getOrCreateMany(wanted) : new Map<string, DataKey>();
  return letters.map((letter, i) => {
    const { value } = letter.message;
    const owner = owners[i];
    if (value === null || owner === undefined) return letter;
    const key = found.get(owner);
    const headers = { ...letter.message.headers, [SEALED_FOR_HEADER]: owner };
    // An erased customer gets no key again: what they sent after their erasure is not kept.
    if (!key) return { ...letter, message: { ...letter.message, headers, value: ERASED_LETTER } };
    const sealed = sealField(key, deadLetterAssociation(owner), value.toString('base64'));
    return {
      ...letter,
      message: { ...letter.message, headers, value: Buffer.from(sealed, 'utf8') },
    };
  });
}

/** The value's bytes as they came, or undefined when its key is gone (erased, or expired). */
export async function openDeadLetterBytes(
  owner: string,
  envelope: string,
  keys: KeyStore,
): Promise<Buffer | undefined> {
  const key: DataKey | undefined = (await keys.getMany([owner])).get(owner);
  if (!key || envelopeKeyId(envelope) !== key.keyId) return undefined;
  return Buffer.from(openField(key, deadLetterAssociation(owner), envelope) as string, 'base64');
}

/** The value as text, as it came; undefined when erased; a value never sealed as it is. */
export async function openDeadLetterValue(
  owner: string | null,
  value: string | null,
  keys: KeyStore,
): Promise<string | null | undefined> {
  if (owner === null || value === null || !isEnvelope(value)) return value;
  return (await openDeadLetterBytes(owner, value, keys))?.toString('utf8');
}

/**
 * Whose key sealed a dead letter: its header, or (letters sealed before the header existed)
 * its Kafka key. Null: not sealed by anyone.
 */
export function sealedForOf(letter: {
  readonly key: string | null;
  readonly headers: Readonly<Record<string, string | Buffer | undefined>>;
}): string | null {
  const header = letter.headers[SEALED_FOR_HEADER];
  const owner = header === undefined ? undefined : header.toString();
  return owner || letter.key || null;
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
    const owner = sealedForOf({ ...message, key: message.key?.toString('utf8') ?? null });
    const bytes = owner ? await openDeadLetterBytes(owner, value, keys) : undefined;
    // Erased meanwhile: nothing left to decide; it fails as a value that is no touchpoint.
    opened.push({ ...message, value: bytes ?? ERASED_LETTER });
  }
  return opened;
}

function deadLetterAssociation(owner: string): string {
  return `dead-letter/${owner}`;
}
