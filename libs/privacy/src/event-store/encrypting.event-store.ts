import { Logger } from '@nestjs/common';
import type {
  AppendManyOptions,
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
  withoutPersonalData,
} from '../fields/event-protection';
import { CUSTOMER_ERASED } from '../fields/personal-fields';
import type { CachingKeyStore } from '../keys/caching.key-store';

/** An event without plain personal fields: nothing to seal. */
const none: readonly string[] = [];

/**
 * The event store as the rest of Rapport sees it: personal fields are sealed with the
 * customer's data key on their way in, and opened on their way out — or read as "(erased)"
 * once the key is destroyed. Projections, rebuilds, the CLI and the export read plain events;
 * the store below only ever holds ciphertext for those fields.
 *
 * A customer whose key was destroyed gets no key again (the key store's tombstone): what
 * arrives for them after their erasure is recorded with its personal fields as "(erased)" and
 * its anonymous facts (amounts, dates, ids) kept. The keys are asked for per appended batch,
 * after the erasure log was read (CachingKeyStore), and every append carries the revision it
 * was decided on, so no event after an erasure can be sealed with the destroyed key's cached
 * copy: the erasure destroys the key before it appends its event, so a writer that decided on
 * a stream holding the event reads the erasure log after it was written.
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

  async appendMany(
    requests: readonly AppendRequest[],
    options?: AppendManyOptions,
  ): Promise<AppendOutcome[]> {
    return this.inner.appendMany(await this.sealRequests(requests), options);
  }

  async readStream(streamName: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    return this.revealAll(await this.inner.readStream(streamName, options), true);
  }

  async readAll(options?: ReadAllOptions): Promise<RecordedEvent[]> {
    return this.revealAll(await this.inner.readAll(options), true);
  }

  headPosition(): Promise<bigint> {
    return this.inner.headPosition();
  }

  identity(): Promise<string> {
    return this.inner.identity();
  }

  subscribeToAll(options?: SubscribeOptions): EventSubscription {
    const inner = this.inner.subscribeToAll(options);
    const reveal = async (event: RecordedEvent) => (await this.revealAll([event], false))[0];
    return {
      close: () => inner.close(),
      async *[Symbol.asyncIterator]() {
        // Live events one at a time: the cache as it is, no erasure-log read per event. The
        // projector reaches a customer's erasure event after their earlier events, and the view
        // drops what it opened of them when it applies it.
        for await (const event of inner) yield await reveal(event);
      },
    };
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  private async sealRequests(requests: readonly AppendRequest[]): Promise<AppendRequest[]> {
    const owners = new Set<string>();
    // Each event's plain personal fields, found once: `none` for most events of a batch.
    const plain = requests.map((request) =>
      request.events.map((event) => {
        const fields = plainPersonalFields(event.type, event.data);
        if (fields.length === 0) return none;
        owners.add(ownerOf(event.data));
        return fields;
      }),
    );
    if (owners.size === 0) return requests as AppendRequest[];
    const keys = await this.keys.getOrCreateMany([...owners]);
    return requests.map((request, r) => ({
      ...request,
      events: request.events.map((event, e) => {
        const fields = plain[r][e];
        if (fields === none) return event;
        const key = keys.get(ownerOf(event.data));
        const data = key
          ? sealPersonalData(event.id, event.type, event.data, key, fields)
          : withoutPersonalData(event.type, event.data);
        return { ...event, data: data as JsonObject };
      }),
    }));
  }

  private async revealAll(
    events: RecordedEvent[],
    checkErasures: boolean,
  ): Promise<RecordedEvent[]> {
    let sealed = false;
    for (const event of events)
      if (hasSealedFields(event.type, event.data)) {
        sealed = true;
        break;
      }
    // A read (an export, a decision's history) opens nothing with a key destroyed meanwhile.
    if (sealed && checkErasures) await this.keys.refresh();
    const owners = new Set<string>();
    if (sealed)
      for (const event of events)
        if (hasSealedFields(event.type, event.data)) {
          const owner = ownerOf(event.data);
          if (!this.keys.cached(owner)) owners.add(owner);
        }
    const loaded =
      owners.size > 0 ? await this.keys.getMany([...owners]) : new Map<string, DataKey>();
    /** Customers whose erasure event this batch passed: a later event may have another key. */
    let erasedHere: Set<string> | undefined;
    let plain = 0;
    const revealed = new Array<RecordedEvent>(events.length);
    for (let i = 0; i < events.length; i++) {
      const event = events[i];
      if (event.type === CUSTOMER_ERASED) {
        // Another process may have made the erasure: its key is gone from here on.
        const owner = ownerOf(event.data);
        this.keys.evict(owner);
        loaded.delete(owner);
        (erasedHere ??= new Set()).add(owner);
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
      // Only after an erasure earlier in this batch (once): a key made after it by a version
      // without tombstones, if there is one.
      if (!key && erasedHere?.delete(owner)) {
        key = (await this.keys.getMany([owner])).get(owner);
        if (key) loaded.set(owner, key);
      }
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
