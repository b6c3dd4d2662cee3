import { randomUUID } from 'node:crypto';
import {
  ANY,
  BACKWARDS,
  END,
  ErrorType,
  EventStoreDBClient,
  FORWARDS,
  NO_STREAM,
  START,
  STREAM_EXISTS,
  StreamNotFoundError,
  WrongExpectedVersionError,
  excludeSystemEvents,
  isCommandError,
  jsonEvent,
  type AllStreamResolvedEvent,
  type AppendExpectedRevision,
  type Position,
  type ResolvedEvent,
} from '@eventstore/db-client';
import { v5 as uuidV5 } from 'uuid';
import {
  EventIdTakenError,
  EventStoreUnavailableError,
  PrerequisiteRefusedError,
  WrongExpectedRevisionError,
} from '../event-store.errors';
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
} from '../event-store.port';

export interface EventStoreDbEventStoreOptions {
  /** e.g. `esdb://localhost:2113?tls=false` */
  readonly connectionString: string;
  /** How many appends of one appendMany call run at once (EventStoreDB has no multi-stream write). */
  readonly appendConcurrency?: number;
}

/**
 * EventStoreDB through @eventstore/db-client: the scale-out event store. The only file that
 * knows the client; a switch to @kurrent/kurrentdb-client touches this folder alone.
 *
 * Position mapping: since EventStoreDB 20 every event has its own log position with
 * commit == prepare, so the port's single bigint position is the commit position and a
 * resume point is `{ commit: p, prepare: p }`.
 */
export class EventStoreDbEventStore implements EventStore {
  private readonly client: EventStoreDBClient;
  private readonly appendConcurrency: number;
  private storeId: Promise<string> | undefined;

  constructor(options: EventStoreDbEventStoreOptions) {
    this.client = EventStoreDBClient.connectionString(options.connectionString);
    this.appendConcurrency = options.appendConcurrency ?? 16;
  }

  async append(
    streamName: string,
    events: readonly NewEvent[],
    options: { readonly expectedRevision: ExpectedRevision },
  ): Promise<AppendResult> {
    await this.reserveIds(streamName, events);
    try {
      const result = await this.client.appendToStream(
        streamName,
        events.map((event) =>
          jsonEvent({
            id: event.id,
            type: event.type,
            data: event.data as Record<string, unknown>,
            metadata: event.metadata as Record<string, unknown>,
          }),
        ),
        { expectedRevision: toClientRevision(options.expectedRevision) },
      );
      return {
        nextExpectedRevision: result.nextExpectedRevision,
        position: result.position?.commit ?? -1n,
      };
    } catch (error) {
      throw mapError(error, `append to ${streamName}`, options.expectedRevision);
    }
  }

  /**
   * EventStoreDB writes no two streams in one transaction, so prerequisites are not all or
   * none here: they are appended first (at once, each judged on its own), and the others only
   * after every one of them was accepted. One refused leaves those accepted beside it written
   * (they answer ok), and a crash between the two steps leaves the prerequisites written and
   * the others not, as two calls would. For identity resolution this means a link that won
   * beside one that lost stays with the profile the refused batch chose; the retry decides
   * from the graph as stored and may then merge that profile (which holds no touchpoint of the
   * refused batch) into the winner's: recorded as a merge, with nothing lost or doubled.
   */
  async appendMany(
    requests: readonly AppendRequest[],
    options: AppendManyOptions = {},
  ): Promise<AppendOutcome[]> {
    const prerequisites = Math.min(options.prerequisites ?? 0, requests.length);
    if (prerequisites === 0) return this.appendEach(requests);
    const first = await this.appendEach(requests.slice(0, prerequisites));
    const rest = requests.slice(prerequisites);
    if (first.every((outcome) => outcome.ok)) return [...first, ...(await this.appendEach(rest))];
    const refused = requests.filter((_, i) => i < prerequisites && !first[i].ok);
    const refusedStreams = refused.map((r) => r.streamName);
    return [
      ...first,
      ...rest.map((r): AppendOutcome => ({
        ok: false,
        error: new PrerequisiteRefusedError(r.streamName, refusedStreams),
      })),
    ];
  }

  private async appendEach(requests: readonly AppendRequest[]): Promise<AppendOutcome[]> {
    const outcomes: AppendOutcome[] = new Array(requests.length);
    let next = 0;
    const worker = async () => {
      while (next < requests.length) {
        const index = next++;
        const request = requests[index];
        try {
          const result = await this.append(request.streamName, request.events, request);
          outcomes[index] = { ok: true, result };
        } catch (error) {
          if (!(error instanceof WrongExpectedRevisionError || error instanceof EventIdTakenError))
            throw error;
          outcomes[index] = { ok: false, error };
        }
      }
    };
    const workers = Math.min(this.appendConcurrency, requests.length);
    await Promise.all(Array.from({ length: workers }, worker));
    return outcomes;
  }

  /**
   * EventStoreDB recognises a repeated event id only within its stream, so each id is first
   * claimed in a stream of its own, `event-id-<id>`, whose first event names the stream the id
   * belongs to: appended with no_stream, the store itself lets one stream win, with no lock
   * beyond that id's. The claim's own id is derived from the id and the stream, so that the
   * same stream claiming again (a retry, a redelivery) is an idempotent repeat, while another
   * stream's claim is a conflict, after which the winner is read from the claim.
   *
   * A claim is never withdrawn: if the append after it fails its expected revision and the
   * event is then not decided again, the id stays with the stream that claimed it.
   */
  private async reserveIds(streamName: string, events: readonly NewEvent[]): Promise<void> {
    const owners = await Promise.all(events.map((event) => this.claim(event.id, streamName)));
    const taken = events.flatMap((event, i) =>
      owners[i] === streamName ? [] : [{ eventId: event.id, streamName: owners[i] }],
    );
    if (taken.length > 0) throw new EventIdTakenError(streamName, taken);
  }

  /** The stream that holds the id: this one, or the one that claimed it first. */
  private async claim(eventId: string, streamName: string): Promise<string> {
    const claimStream = `${CLAIM_STREAM_PREFIX}${eventId}`;
    try {
      await this.client.appendToStream(
        claimStream,
        jsonEvent({
          id: uuidV5(`${streamName}\n${eventId}`, CLAIM_NAMESPACE),
          type: CLAIM_EVENT_TYPE,
          data: { eventId, streamName },
        }),
        { expectedRevision: NO_STREAM },
      );
      return streamName;
    } catch (error) {
      if (!(error instanceof WrongExpectedVersionError)) {
        throw mapError(error, `claim event id ${eventId}`);
      }
    }
    try {
      const [first] = await drain(
        this.client.readStream(claimStream, {
          direction: FORWARDS,
          fromRevision: START,
          maxCount: 1,
        }),
      );
      const owner = (first?.event?.data as { streamName?: unknown } | undefined)?.streamName;
      if (typeof owner !== 'string') {
        throw new Error(`EventStoreDB: ${claimStream} does not name the stream holding the id`);
      }
      return owner;
    } catch (error) {
      throw mapError(error, `read ${claimStream}`);
    }
  }

  async readStream(streamName: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const backwards = options.direction === 'backwards';
    const events: RecordedEvent[] = [];
    try {
      const read = this.client.readStream(streamName, {
        direction: backwards ? BACKWARDS : FORWARDS,
        fromRevision: options.fromRevision ?? (backwards ? END : START),
        maxCount: options.maxCount ?? Number.MAX_SAFE_INTEGER,
      });
      for await (const resolved of read) {
        const event = toRecordedEvent(resolved);
        if (event) events.push(event);
      }
      return events;
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw mapError(error, `read ${streamName}`);
    }
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const after = options.after ?? -1n;
    const maxCount = options.maxCount ?? Number.MAX_SAFE_INTEGER;
    const events: RecordedEvent[] = [];
    try {
      // Page by page, each read drained to its end (see drain). fromPosition is inclusive for
      // reads while the port's `after` is exclusive, so a page may repeat the previous last one.
      let from: bigint | undefined = after < 0n ? undefined : after;
      while (events.length < maxCount) {
        const pageSize = Math.min(READ_PAGE_SIZE, maxCount - events.length + 1);
        const page = await drain(
          this.client.readAll({
            direction: FORWARDS,
            fromPosition: from === undefined ? START : toClientPosition(from),
            maxCount: pageSize,
          }),
        );
        for (const resolved of page) {
          const event = toRecordedEvent(resolved);
          // Skips what is at or before `after` and the previous page's last event, which a
          // page read from its position (inclusive) delivers again.
          const seen = events.length ? events[events.length - 1].position : after;
          if (!event || event.position <= seen) continue;
          if (events.length < maxCount) events.push(event);
        }
        const last = page[page.length - 1];
        const lastPosition = last && positionOf(last);
        if (page.length < pageSize || lastPosition === undefined || lastPosition === from) break;
        from = lastPosition;
      }
      return events;
    } catch (error) {
      throw mapError(error, 'read $all');
    }
  }

  async headPosition(): Promise<bigint> {
    try {
      // Backwards from a position excludes the event there, so pages never overlap.
      let from: bigint | undefined;
      for (;;) {
        const page = await drain(
          this.client.readAll({
            direction: BACKWARDS,
            fromPosition: from === undefined ? END : toClientPosition(from),
            maxCount: HEAD_PAGE_SIZE,
          }),
        );
        for (const resolved of page) {
          const event = toRecordedEvent(resolved);
          if (event) return event.position;
        }
        const last = page[page.length - 1];
        const lastPosition = last && positionOf(last);
        if (page.length < HEAD_PAGE_SIZE || lastPosition === undefined) return -1n;
        from = lastPosition;
      }
    } catch (error) {
      throw mapError(error, 'read head of $all');
    }
  }

  /**
   * Kept as the first event of its own stream, written by the first process that asks (with
   * no_stream, so two asking at once agree on the one that got there first). A recreated
   * server has no such stream and so gets a new identity.
   */
  identity(): Promise<string> {
    this.storeId ??= this.readOrCreateIdentity().catch((error: unknown) => {
      this.storeId = undefined;
      throw error;
    });
    return this.storeId;
  }

  private async readOrCreateIdentity(): Promise<string> {
    const recorded = await this.readIdentity();
    if (recorded) return recorded;
    const created = randomUUID();
    try {
      await this.append(
        IDENTITY_STREAM,
        [
          {
            id: randomUUID(),
            type: 'StoreIdentityCreated',
            data: { storeId: created, createdAt: new Date().toISOString() },
            metadata: {},
          },
        ],
        { expectedRevision: 'no_stream' },
      );
      return created;
    } catch (error) {
      if (!(error instanceof WrongExpectedRevisionError)) throw error;
      const winner = await this.readIdentity();
      if (!winner) throw error;
      return winner;
    }
  }

  private async readIdentity(): Promise<string | undefined> {
    try {
      const [first] = await drain(
        this.client.readStream(IDENTITY_STREAM, {
          direction: FORWARDS,
          fromRevision: START,
          maxCount: 1,
        }),
      );
      const storeId = (first?.event?.data as { storeId?: unknown } | undefined)?.storeId;
      return typeof storeId === 'string' ? storeId : undefined;
    } catch (error) {
      if (error instanceof StreamNotFoundError) return undefined;
      throw mapError(error, `read ${IDENTITY_STREAM}`);
    }
  }

  subscribeToAll(options: SubscribeOptions = {}): EventSubscription {
    const after = options.after ?? -1n;
    const subscription = this.client.subscribeToAll({
      fromPosition: after < 0n ? START : toClientPosition(after),
      filter: excludeSystemEvents(),
    });
    return {
      async *[Symbol.asyncIterator]() {
        try {
          for await (const resolved of subscription) {
            const event = toRecordedEvent(resolved);
            if (event && event.position > after) yield event;
          }
        } catch (error) {
          throw mapError(error, 'subscribe to $all');
        } finally {
          // A consumer that stops iterating would otherwise leave the gRPC call open until close.
          await subscription.unsubscribe();
        }
      },
      close: async () => {
        await subscription.unsubscribe();
      },
    };
  }

  async close(): Promise<void> {
    await this.client.dispose();
  }
}

/**
 * The adapter's own streams, one per event id (see reserveIds). Their events are left out of
 * every read of $all, so that readers of the port see only the events appended through it.
 */
const CLAIM_STREAM_PREFIX = 'event-id-';
const CLAIM_EVENT_TYPE = 'EventIdClaimed';
/** Fixed: changing it would make a stream's repeated claim a conflict with its first. */
const CLAIM_NAMESPACE = '3d0f2a8e-6c1b-5e47-9a2d-7b4c1e9f0a63';

/**
 * Where the store's identity lives. Not a `$` system stream, which needs admin rights to
 * write; not a customer stream either, and left out of every $all read like system events.
 */
const IDENTITY_STREAM = 'rapport-store-identity';

/** Events per $all read: bounded, so that a read never streams the whole log for a few events. */
const READ_PAGE_SIZE = 1_000;
const HEAD_PAGE_SIZE = 32;

/**
 * Reads a client read stream to its end. Leaving a `for await` early destroys the client's
 * ReadStream but not the gRPC call under it; when that call has already completed, nothing
 * consumes it any more, it never finishes, and `client.dispose()` waits for it forever.
 */
async function drain<T>(read: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of read) items.push(item);
  return items;
}

function positionOf(resolved: AllStreamResolvedEvent): bigint | undefined {
  return resolved.event?.position?.commit ?? resolved.commitPosition;
}

function toClientRevision(expected: ExpectedRevision): AppendExpectedRevision {
  if (expected === 'any') return ANY;
  if (expected === 'no_stream') return NO_STREAM;
  if (expected === 'stream_exists') return STREAM_EXISTS;
  return expected;
}

function toClientPosition(position: bigint): Position {
  return { commit: position, prepare: position };
}

function toRecordedEvent(
  resolved: ResolvedEvent | AllStreamResolvedEvent,
): RecordedEvent | undefined {
  const event = resolved.event;
  if (!event || event.type.startsWith('$') || event.streamId.startsWith('$')) return undefined;
  if (event.streamId.startsWith(CLAIM_STREAM_PREFIX) || event.streamId === IDENTITY_STREAM)
    return undefined;
  if (!event.isJson) return undefined;
  const position = event.position?.commit ?? resolved.commitPosition;
  return {
    id: event.id,
    streamName: event.streamId,
    revision: event.revision,
    position: position ?? -1n,
    type: event.type,
    data: event.data as JsonObject,
    metadata: (event.metadata ?? {}) as JsonObject,
    recordedAt: event.created,
  };
}

function mapError(error: unknown, operation: string, expected?: ExpectedRevision): Error {
  if (error instanceof WrongExpectedVersionError) {
    const actual = error.actualVersion;
    return new WrongExpectedRevisionError(
      error.streamName,
      expected ?? 'any',
      typeof actual === 'bigint' ? actual : 'no_stream',
      { cause: error },
    );
  }
  if (
    error instanceof WrongExpectedRevisionError ||
    error instanceof EventStoreUnavailableError ||
    error instanceof EventIdTakenError
  ) {
    return error;
  }
  if (error instanceof Error && isCommandError(error) && !OUTAGES.has(error.type)) {
    return new Error(`EventStoreDB: ${operation} failed: ${error.message}`, { cause: error });
  }
  return new EventStoreUnavailableError(`EventStoreDB: ${operation} failed`, { cause: error });
}

/** Command errors that mean "not now" rather than "never": the caller retries the same call. */
const OUTAGES: ReadonlySet<string> = new Set([
  ErrorType.UNAVAILABLE,
  ErrorType.DEADLINE_EXCEEDED,
  ErrorType.TIMEOUT,
  ErrorType.NOT_LEADER,
  ErrorType.CANCELLED,
  ErrorType.UNKNOWN,
]);
