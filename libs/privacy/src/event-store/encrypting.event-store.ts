import { Logger } from '@nestjs/common';
import type {
  AppendOutcome,
  AppendRequest,
  AppendResult,
  EventStore,
  EventSubscription,
  ExpectedRevision,
  JsonObject,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeOptions,
} from '@rapport/event-store';
import type { DataKey } from '../fields/field-cipher';
import {
  hasSealedFields,
  plainPersonalFields,
  revealPersonalData,
  sealPersonalData,
} from '../fields/event-protection';
import { CUSTOMER_ERASED } from '../fields/personal-fields';
import type { CachingKeyStore } from '../keys/caching.key-store';

/**
 * The event store as the rest of Rapport sees it: personal fields are sealed with the
 * customer's data key on their way in, and opened on their way out — or read as "(erased)"
 * once the key is destroyed. Projections, rebuilds, the CLI and the export read plain events;
 * the store below only ever holds ciphertext for those fields.
 */
export class EncryptingEventStore implements EventStore {
  private readonly logger = new Logger('PersonalData');
  private warnedPlain = false;

  constructor(
    private readonly inner: EventStore,
    private readonly keys: CachingKeyStore,
  ) {}

  /** The undecorated store: what is really written (verification, the start-up check). */
  get raw(): EventStore {
    return this.inner;
  }

  async append(
    streamName: string,
    events: readonly NewEvent[],
    options: { readonly expectedRevision: ExpectedRevision },
  ): Promise<AppendResult> {
    const [sealed] = await this.sealRequests([{ streamName, events, ...options }]);
    return this.inner.append(streamName, sealed.events, options);
  }

  async appendMany(requests: readonly AppendRequest[]): Promise<AppendOutcome[]> {
    return this.inner.appendMany(await this.sealRequests(requests));
  }

  async readStream(streamName: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    return this.revealAll(await this.inner.readStream(streamName, options));
  }

  async readAll(options?: ReadAllOptions): Promise<RecordedEvent[]> {
    return this.revealAll(await this.inner.readAll(options));
  }

  headPosition(): Promise<bigint> {
    return this.inner.headPosition();
  }

  identity(): Promise<string> {
    return this.inner.identity();
  }

  subscribeToAll(options?: SubscribeOptions): EventSubscription {
    const inner = this.inner.subscribeToAll(options);
    const reveal = async (event: RecordedEvent) => (await this.revealAll([event]))[0];
    return {
      close: () => inner.close(),
      async *[Symbol.asyncIterator]() {
        for await (const event of inner) yield await reveal(event);
      },
    };
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  private async sealRequests(requests: readonly AppendRequest[]): Promise<AppendRequest[]> {
    const owners = new Set<string>();
    for (const request of requests)
      for (const event of request.events)
        if (plainPersonalFields(event.type, event.data).length > 0) owners.add(ownerOf(event.data));
    if (owners.size === 0) return requests as AppendRequest[];
    const keys = await this.keys.getOrCreateMany([...owners]);
    return requests.map((request) => ({
      ...request,
      events: request.events.map((event) => {
        if (plainPersonalFields(event.type, event.data).length === 0) return event;
        const key = keys.get(ownerOf(event.data))!;
        return {
          ...event,
          data: sealPersonalData(event.id, event.type, event.data, key) as JsonObject,
        };
      }),
    }));
  }

  private async revealAll(events: RecordedEvent[]): Promise<RecordedEvent[]> {
    const owners = new Set<string>();
    for (const event of events)
      if (hasSealedFields(event.type, event.data)) {
        const owner = ownerOf(event.data);
        if (!this.keys.cached(owner)) owners.add(owner);
      }
    const loaded =
      owners.size > 0 ? await this.keys.getMany([...owners]) : new Map<string, DataKey>();
    let plain = 0;
    const revealed = new Array<RecordedEvent>(events.length);
    for (let i = 0; i < events.length; i++) {
      const event = events[i];
      if (event.type === CUSTOMER_ERASED) {
        // Another process may have made the erasure: its key is gone from here on.
        const owner = ownerOf(event.data);
        this.keys.evict(owner);
        loaded.delete(owner);
        revealed[i] = event;
        continue;
      }
      if (!hasSealedFields(event.type, event.data)) {
        plain += plainPersonalFields(event.type, event.data).length;
        revealed[i] = event;
        continue;
      }
      const owner = ownerOf(event.data);
      let key: DataKey | undefined = this.keys.cached(owner) ?? loaded.get(owner);
      // Only after an erasure earlier in this batch: the customer's new key, if there is one.
      if (!key) key = (await this.keys.getMany([owner])).get(owner);
      const opened = revealPersonalData(event.id, event.type, event.data, key);
      plain += opened.plain;
      revealed[i] = { ...event, data: opened.data as JsonObject };
    }
    if (plain > 0) this.warnPlainOnce();
    return revealed;
  }

  private warnPlainOnce(): void {
    if (this.warnedPlain) return;
    this.warnedPlain = true;
    this.logger.warn(
      'stored events carry personal fields in plain text (written before encryption was on): ' +
        'an erasure cannot reach them. See README "Erasure": `rapport privacy-check` lists them.',
    );
  }
}

function ownerOf(data: { readonly [key: string]: unknown }): string {
  const customerId = data.customerId;
  if (typeof customerId !== 'string')
    throw new Error('an event with personal fields names no customerId: cannot choose its key');
  return customerId;
}
