import type { KeyStore } from '../keys/key-store.port';

/**
 * Whose key seals a dead letter's value, written on the letter as this header so that the
 * letter can be opened (re-drive, `rapport dlq list`, `erase --verify`) without guessing.
 */
export const SEALED_FOR_HEADER = 'rapport.sealed-for';

/**
 * Owners of the keys that seal dead letters naming no customer: one a UTC day. A customer id
 * cannot hold a slash (contract), so these never meet a customer's key.
 */
const UNATTRIBUTED_PREFIX = 'dead-letters/';

/** How far back a sweep looks for day keys past their time (a year of downtime). */
const SWEEP_DAYS = 366;

const DAY_MS = 86_400_000;

export interface LetterToSeal {
  readonly key: Buffer | null;
  readonly value: Buffer | null;
}

/**
 * The customer a dead letter belongs to: its Kafka key (Kafka keys touchpoints by customer),
 * else the `customerId` of its value when that parses as a JSON object that names one.
 * Undefined: it names no customer.
 */
export function customerOfLetter(letter: LetterToSeal): string | undefined {
  const key = letter.key?.toString('utf8');
  if (key) return key;
  if (letter.value === null || letter.value.length === 0 || letter.value[0] !== 0x7b)
    return undefined;
  try {
    const parsed: unknown = JSON.parse(letter.value.toString('utf8'));
    const customerId = (parsed as { customerId?: unknown }).customerId;
    return typeof customerId === 'string' && customerId.length > 0 ? customerId : undefined;
  } catch {
    return undefined;
  }
}

/** The owner of the key that seals letters naming no customer on the day of `at`. */
export function unattributedOwner(at: Date): string {
  return `${UNATTRIBUTED_PREFIX}${at.toISOString().slice(0, 10)}`;
}

/** The UTC day of an unattributed owner (YYYY-MM-DD), or undefined for a customer. */
export function unattributedDay(owner: string): string | undefined {
  return owner.startsWith(UNATTRIBUTED_PREFIX)
    ? owner.slice(UNATTRIBUTED_PREFIX.length)
    : undefined;
}

/** When the day key of `day` (YYYY-MM-DD) is destroyed: `keepDays` after that day ends. */
export function unattributedKeyExpiry(day: string, keepDays: number): Date {
  return new Date(Date.parse(`${day}T00:00:00.000Z`) + (keepDays + 1) * DAY_MS);
}

/**
 * Destroys the day keys of unattributed dead letters whose time is up (`keepDays` after their
 * day): those letters are shredded. Asks for a year of past days in one read and destroys only
 * the keys it finds. Returns the days destroyed.
 */
export async function sweepUnattributedKeys(
  keys: KeyStore,
  now: Date,
  keepDays: number,
): Promise<string[]> {
  const owners: string[] = [];
  for (let back = keepDays + 1; back <= keepDays + SWEEP_DAYS; back++)
    owners.push(unattributedOwner(new Date(now.getTime() - back * DAY_MS)));
  const found = await keys.getMany(owners);
  const destroyed: string[] = [];
  for (const owner of found.keys()) {
    await keys.destroy(owner);
    destroyed.push(unattributedDay(owner)!);
  }
  return destroyed;
}
