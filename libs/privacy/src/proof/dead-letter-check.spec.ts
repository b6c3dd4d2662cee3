import type { DeadLetter, InboundMessage } from '@rapport/messaging';
import { MemoryKeyStore } from '../keys/memory/memory.key-store';
import { sealDeadLetters } from '../dead-letters/sealing.message-consumer';
import { checkDeadLetters, type StoredDeadLetter } from './dead-letter-check';

const SECRET = 'Ada Wren, +4915199887766';
const NOW = new Date('2026-12-07T10:00:00.000Z');

function letter(key: string | null, value: string, offset: string): DeadLetter {
  const message: InboundMessage = {
    topic: 'touchpoints',
    partition: 0,
    offset,
    key: key === null ? null : Buffer.from(key),
    value: Buffer.from(value),
    timestamp: '0',
    headers: {},
  };
  return { message, code: 'INVALID_JSON', reason: 'bad' };
}

/** As `rapport dlq list` reads them back from the topic. */
function stored(letters: readonly DeadLetter[]): StoredDeadLetter[] {
  return letters.map(({ message }) => ({
    partition: message.partition,
    offset: message.offset,
    key: message.key?.toString() ?? null,
    value: message.value?.toString() ?? null,
    headers: Object.fromEntries(
      Object.entries(message.headers).map(([name, v]) => [name, String(v)]),
    ),
  }));
}

describe('when the dead letters are checked after an erasure', () => {
  it('opens those naming no customer while their day key lives, and finds the values in them', async () => {
    const keys = new MemoryKeyStore();
    const sealed = await sealDeadLetters(
      [
        letter('C-1', JSON.stringify({ customerId: 'C-1', reason: SECRET }), '0'),
        letter(null, JSON.stringify({ customerId: 'C-1', reason: SECRET }), '1'),
        letter(null, `not json: ${SECRET}`, '2'),
      ],
      keys,
      NOW,
    );
    await keys.destroy('C-1');
    const check = await checkDeadLetters('C-1', stored(sealed), keys, [SECRET], 7);
    expect(check.problems).toEqual([]);
    expect([...new Set(check.findings.map((f) => f.where))]).toEqual([
      'dead letter 0/2 (names no customer, opened)',
    ]);
    expect(check.notes.join('\n')).toContain('2 sealed with the customer');
    expect(check.notes.join('\n')).toContain(
      '1 naming no customer still readable until 2026-12-15T00:00:00.000Z',
    );

    // Their days are up: shredded, nothing left to find.
    await keys.destroy('dead-letters/2026-12-07');
    const later = await checkDeadLetters('C-1', stored(sealed), keys, [SECRET], 7);
    expect(later.findings).toEqual([]);
    expect(later.notes.join('\n')).toContain('1 naming no customer already shredded');
  });

  it('opens the customer’s own letters while their key exists, and not after the erasure', async () => {
    const keys = new MemoryKeyStore();
    const sealed = stored(
      await sealDeadLetters(
        [letter('C-1', JSON.stringify({ customerId: 'C-1', reason: SECRET }), '3')],
        keys,
        NOW,
      ),
    );
    const before = await checkDeadLetters('C-1', sealed, keys, [SECRET], 7);
    expect([...new Set(before.findings.map((f) => f.where))]).toEqual([
      "dead letter 0/3 (sealed with the customer's key, opened)",
    ]);
    expect(before.problems).toEqual([
      "1 dead letters sealed with the customer's key can still be opened: the key exists",
    ]);

    await keys.destroy('C-1');
    const after = await checkDeadLetters('C-1', sealed, keys, [SECRET], 7);
    expect(after).toMatchObject({ findings: [], problems: [] });
  });

  it('calls a letter of the customer stored unsealed a problem no erasure reaches', async () => {
    const keys = new MemoryKeyStore();
    const plain = stored([
      letter(null, JSON.stringify({ customerId: 'C-1', reason: SECRET }), '5'),
    ]);
    const check = await checkDeadLetters('C-1', plain, keys, [], 7);
    expect(check.problems).toEqual([
      'dead letter 0/5 names the customer and is stored unsealed (written before sealing)',
    ]);
  });
});
