import type { BatchHandler, InboundMessage, MessageConsumer } from '@rapport/messaging';
import { isEnvelope } from '../fields/field-cipher';
import { MemoryKeyStore } from '../keys/memory/memory.key-store';
import { SEALED_FOR_HEADER, sweepUnattributedKeys } from './dead-letter-owner';
import { openDeadLetterBytes, SealingMessageConsumer } from './sealing.message-consumer';

const NOW = new Date('2026-12-07T10:00:00.000Z');
const sealing = { unattributedKeyDays: 7, now: () => NOW };

const NOT_UTF8 = Buffer.from([0x7b, 0x22, 0xff, 0x00]);

function message(key: string | null, value: Buffer, offset = '0'): InboundMessage {
  return {
    topic: 'touchpoints',
    partition: 0,
    offset,
    key: key === null ? null : Buffer.from(key),
    value,
    timestamp: '0',
    headers: {},
  };
}

/** A consumer that hands one batch to the handler and keeps what it answered. */
class OneBatch implements MessageConsumer {
  answered: Awaited<ReturnType<BatchHandler>> | undefined;
  handed: readonly InboundMessage[] = [];
  constructor(private readonly batch: InboundMessage[]) {}
  async start(handler: BatchHandler): Promise<void> {
    this.answered = await handler(this.batch, { heartbeat: async () => undefined });
  }
  async stop(): Promise<void> {}
}

const deadLetterAll: BatchHandler = async (messages) => ({
  deadLetters: messages.map((m) => ({ message: m, code: 'INVALID_JSON', reason: 'bad' })),
});

describe('when dead letters are sealed with their customer key', () => {
  it('publishes a sealed value that opens to the same bytes, until the key is destroyed', async () => {
    const keys = new MemoryKeyStore();
    const inner = new OneBatch([message('C-1', NOT_UTF8)]);
    await new SealingMessageConsumer(inner, keys, sealing).start(deadLetterAll);
    const [sealed] = inner.answered!.deadLetters;
    const value = sealed.message.value!.toString('utf8');
    expect(isEnvelope(value)).toBe(true);
    expect(sealed.message.key?.toString()).toBe('C-1');
    expect(sealed.message.headers[SEALED_FOR_HEADER]).toBe('C-1');
    expect(await openDeadLetterBytes('C-1', value, keys)).toEqual(NOT_UTF8);

    await keys.destroy('C-1');
    expect(await openDeadLetterBytes('C-1', value, keys)).toBeUndefined();
  });

  it('seals a letter without a Kafka key with the key of the customer its value names', async () => {
    const keys = new MemoryKeyStore();
    const body = Buffer.from(JSON.stringify({ customerId: 'C-7', data: { reason: 'Ada Wren' } }));
    const inner = new OneBatch([message(null, body)]);
    await new SealingMessageConsumer(inner, keys, sealing).start(deadLetterAll);
    const [sealed] = inner.answered!.deadLetters;
    const value = sealed.message.value!.toString('utf8');
    expect(value).not.toContain('Ada Wren');
    expect(sealed.message.key).toBeNull();
    expect(sealed.message.headers[SEALED_FOR_HEADER]).toBe('C-7');
    expect(await openDeadLetterBytes('C-7', value, keys)).toEqual(body);
    await keys.destroy('C-7');
    expect(await openDeadLetterBytes('C-7', value, keys)).toBeUndefined();
  });

  it('seals a letter that names no customer with its day key, destroyed when its days are up', async () => {
    const keys = new MemoryKeyStore();
    const inner = new OneBatch([
      message(null, Buffer.from('name=Ada Wren')),
      message(null, NOT_UTF8),
    ]);
    await new SealingMessageConsumer(inner, keys, sealing).start(deadLetterAll);
    const [text, bytes] = inner.answered!.deadLetters;
    expect(text.message.headers[SEALED_FOR_HEADER]).toBe('dead-letters/2026-12-07');
    expect(bytes.message.headers[SEALED_FOR_HEADER]).toBe('dead-letters/2026-12-07');
    const value = text.message.value!.toString('utf8');
    expect(value).not.toContain('Ada');
    const day = 'dead-letters/2026-12-07';
    expect(await openDeadLetterBytes(day, value, keys)).toEqual(Buffer.from('name=Ada Wren'));

    // Seven days after the day ends: still there on the 14th, gone on the 15th.
    expect(await sweepUnattributedKeys(keys, new Date('2026-12-14T23:59:00Z'), 7)).toEqual([]);
    expect(await openDeadLetterBytes(day, value, keys)).toBeDefined();
    expect(await sweepUnattributedKeys(keys, new Date('2026-12-15T00:00:00Z'), 7)).toEqual([
      '2026-12-07',
    ]);
    expect(await openDeadLetterBytes(day, value, keys)).toBeUndefined();
  });

  it('keeps no value of a letter for a customer erased before it arrived', async () => {
    const keys = new MemoryKeyStore();
    await keys.destroy('C-1');
    const inner = new OneBatch([message('C-1', Buffer.from('{"reason":"Ada Wren"}'))]);
    await new SealingMessageConsumer(inner, keys, sealing).start(deadLetterAll);
    expect(inner.answered!.deadLetters[0].message.value!.toString()).toBe('"(erased)"');
  });

  it('hands a re-driven (sealed) letter to the handler as it was first sent', async () => {
    const keys = new MemoryKeyStore();
    const keyless = Buffer.from(JSON.stringify({ customerId: 'C-2', type: 'call' }));
    const first = new OneBatch([message('C-1', NOT_UTF8), message(null, keyless, '1')]);
    await new SealingMessageConsumer(first, keys, sealing).start(deadLetterAll);
    const redriven = new OneBatch(first.answered!.deadLetters.map((l) => l.message));
    let handed: readonly InboundMessage[] = [];
    await new SealingMessageConsumer(redriven, keys, sealing).start(async (messages) => {
      handed = messages;
      return { deadLetters: [] };
    });
    expect(handed.map((m) => m.value)).toEqual([NOT_UTF8, keyless]);
  });
});

describe('when the consumer keeps running past a day key’s time', () => {
  afterEach(() => jest.useRealTimers());

  it('destroys it at the next hourly sweep, not before, and stops sweeping once stopped', async () => {
    jest.useFakeTimers({ now: new Date('2026-12-07T10:00:00.000Z') });
    const keys = new MemoryKeyStore();
    const inner = new OneBatch([message(null, Buffer.from('name=Ada Wren'))]);
    // The wall clock the sweeps read: the fake one, moved by the timers below.
    const consumer = new SealingMessageConsumer(inner, keys, {
      unattributedKeyDays: 7,
      now: () => new Date(Date.now()),
    });
    await consumer.start(deadLetterAll);
    const value = inner.answered!.deadLetters[0].message.value!.toString('utf8');
    const day = 'dead-letters/2026-12-07';
    const hour = 3_600_000;

    // The key's time is up at 2026-12-15T00:00Z: the sweep of 23:00 on the 14th keeps it.
    jest.setSystemTime(new Date('2026-12-14T22:30:00.000Z'));
    await jest.advanceTimersByTimeAsync(hour);
    expect(await openDeadLetterBytes(day, value, keys)).toBeDefined();
    // An hour later the clock is past midnight: the next sweep destroys it.
    jest.setSystemTime(new Date('2026-12-14T23:30:00.000Z'));
    await jest.advanceTimersByTimeAsync(hour);
    expect(await openDeadLetterBytes(day, value, keys)).toBeUndefined();

    await consumer.stop();
    expect(jest.getTimerCount()).toBe(0);
  });
});
