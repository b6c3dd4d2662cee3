import { ERASED_VALUE, isEnvelope } from '../fields/field-cipher';
import type { KeyStore } from '../keys/key-store.port';
import {
  customerOfLetter,
  unattributedDay,
  unattributedKeyExpiry,
} from '../dead-letters/dead-letter-owner';
import { openDeadLetterBytes, sealedForOf } from '../dead-letters/sealing.message-consumer';
import { findValues, type Finding } from './value-encodings';

/** A dead letter as read back from the topic. */
export interface StoredDeadLetter {
  readonly partition: number;
  readonly offset: string;
  readonly key: string | null;
  readonly value: string | null;
  readonly headers: Readonly<Record<string, string>>;
}

export interface DeadLetterCheck {
  /** What still holds the customer's personal data in a form no erasure reaches. */
  readonly problems: string[];
  /** What the check covered and until when part of it stays readable. */
  readonly notes: string[];
  /** Values found in letters opened with a key that still exists (those naming no customer). */
  readonly findings: Finding[];
}

/**
 * The dead-letter part of the proof. A letter sealed with the erased customer's key is shredded
 * with it (the log check proves the key is gone). A letter that names no customer is sealed with
 * its day's key, which no erasure destroys: while that key lives the letter is opened here and
 * scanned for the values, and the note says until when such letters stay readable. A letter of
 * this customer stored as it came (before sealing existed) is a problem: nothing can shred it.
 */
export async function checkDeadLetters(
  customerId: string,
  letters: readonly StoredDeadLetter[],
  keys: KeyStore,
  values: readonly string[],
  keepDays: number,
): Promise<DeadLetterCheck> {
  const problems: string[] = [];
  const findings: Finding[] = [];
  let ownSealed = 0;
  let ownOpened = 0;
  let unattributedOpened = 0;
  let unattributedShredded = 0;
  let latestExpiry: Date | undefined;
  for (const letter of letters) {
    const where = `dead letter ${letter.partition}/${letter.offset}`;
    const { value } = letter;
    if (value === null || value === JSON.stringify(ERASED_VALUE)) continue;
    if (!isEnvelope(value)) {
      const owner = customerOfLetter({
        key: letter.key === null ? null : Buffer.from(letter.key),
        value: Buffer.from(value),
      });
      if (owner === customerId)
        problems.push(
          `${where} names the customer and is stored unsealed (written before sealing)`,
        );
      continue;
    }
    const owner = sealedForOf(letter);
    if (!owner) continue;
    if (owner === customerId) {
      ownSealed++;
      // They open only while the customer's key exists: before the erasure, or after one that
      // failed to destroy it. Either way what they hold is still readable.
      const opened = await openDeadLetterBytes(owner, value, keys);
      if (opened) {
        ownOpened++;
        findings.push(
          ...findValues(`${where} (sealed with the customer's key, opened)`, opened, values),
        );
      }
      continue;
    }
    const day = unattributedDay(owner);
    if (!day) continue;
    const opened = await openDeadLetterBytes(owner, value, keys);
    if (!opened) {
      unattributedShredded++;
      continue;
    }
    unattributedOpened++;
    const expiry = unattributedKeyExpiry(day, keepDays);
    if (!latestExpiry || expiry > latestExpiry) latestExpiry = expiry;
    findings.push(...findValues(`${where} (names no customer, opened)`, opened, values));
  }
  if (ownOpened > 0)
    problems.push(
      `${ownOpened} dead letters sealed with the customer's key can still be opened: the key exists`,
    );
  const notes = [
    `${letters.length} dead letters read; ${ownSealed} sealed with the customer's key`,
    `${unattributedShredded} naming no customer already shredded (their day keys destroyed)`,
  ];
  if (unattributedOpened > 0)
    notes.push(
      `${unattributedOpened} naming no customer still readable until ${latestExpiry!.toISOString()} ` +
        `(their day keys, DEAD_LETTER_KEY_DAYS=${keepDays}): ` +
        (values.length ? 'opened and scanned for the values' : 'pass --values to scan them'),
    );
  return { problems, notes, findings };
}
