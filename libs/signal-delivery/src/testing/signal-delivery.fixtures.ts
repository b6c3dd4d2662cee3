import { spawn } from 'node:child_process';
import { eventIdFor, customerStreamName, type CustomerEvent } from '@rapport/domain';
import type { EventStore, NewEvent } from '@rapport/event-store';

const KCAT = process.env.KCAT_PATH ?? '/usr/bin/kcat';

export function toNewEvent(event: CustomerEvent): NewEvent {
  return {
    id: eventIdFor(event.metadata.source, event.data.touchpointId),
    type: event.type,
    data: event.data,
    metadata: { ...event.metadata },
  };
}

/** Appends one customer's history (from the decider) to its stream. */
export async function appendHistory(
  store: EventStore,
  customerId: string,
  events: readonly CustomerEvent[],
): Promise<bigint> {
  const result = await store.append(customerStreamName(customerId), events.map(toNewEvent), {
    expectedRevision: 'any',
  });
  return result.position;
}

export interface ConsumedSignal {
  readonly key: string;
  readonly id: string;
  readonly payload: string;
}

/**
 * Every message of the topic as kcat — a client we did not write — reads it: key, the
 * `signal-id` header and the value, from the beginning to the end of each partition.
 */
export function readWithKcat(brokers: string, topic: string): Promise<ConsumedSignal[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      KCAT,
      ['-C', '-b', brokers, '-t', topic, '-o', 'beginning', '-e', '-q', '-J'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`kcat exited ${code}: ${err}`));
      const lines = out.split('\n').filter((line) => line.trim());
      resolve(
        lines.map((line) => {
          const message = JSON.parse(line) as { key: string; payload: string; headers?: string[] };
          const headers = message.headers ?? [];
          const at = headers.indexOf('signal-id');
          return { key: message.key, id: at >= 0 ? headers[at + 1] : '', payload: message.payload };
        }),
      );
    });
  });
}
