import type { BatchHandler, InboundMessage, MessageConsumer } from '@rapport/messaging';
import { isEnvelope } from '../fields/field-cipher';
import { MemoryKeyStore } from '../keys/memory/memory.key-store';
import { openDeadLetterBytes, SealingMessageConsumer } from './sealing.message-consumer';

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
    const inner = new OneBatch([message('C-1', NOT_UTF8), message(null, Buffer.from('x'))]);
    await new SealingMessageConsumer(inner, keys).start(deadLetterAll);
    const [sealed, keyless] = inner.answered!.deadLetters;
    const value = sealed.message.value!.toString('utf8');
    expect(isEnvelope(value)).toBe(true);
    expect(sealed.message.key?.toString()).toBe('C-1');
    expect(await openDeadLetterBytes('C-1', value, keys)).toEqual(NOT_UTF8);
    // Without a key there is no customer to seal it for: as it came.
    expect(keyless.message.value).toEqual(Buffer.from('x'));

    await keys.destroy('C-1');
    expect(await openDeadLetterBytes('C-1', value, keys)).toBeUndefined();
  });

  it('hands a re-driven (sealed) letter to the handler as it was first sent', async () => {
    const keys = new MemoryKeyStore();
    const first = new OneBatch([message('C-1', NOT_UTF8)]);
    await new SealingMessageConsumer(first, keys).start(deadLetterAll);
    const redriven = new OneBatch([first.answered!.deadLetters[0].message]);
    let handed: readonly InboundMessage[] = [];
    await new SealingMessageConsumer(redriven, keys).start(async (messages) => {
      handed = messages;
      return { deadLetters: [] };
    });
    expect(handed[0].value).toEqual(NOT_UTF8);
  });
});
