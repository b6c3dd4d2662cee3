import { randomUUID } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import {
  SupportedMethod,
  SupportedMethods,
} from '@eventstore/db-client/generated/serverfeatures_pb';
import { ServerFeaturesService } from '@eventstore/db-client/generated/serverfeatures_grpc_pb';
import { Empty, StreamIdentifier, UUID } from '@eventstore/db-client/generated/shared_pb';
import {
  AppendReq,
  AppendResp,
  ReadReq,
  ReadResp,
} from '@eventstore/db-client/generated/streams_pb';
import { StreamsService } from '@eventstore/db-client/generated/streams_grpc_pb';
import {
  InMemoryEventLog,
  type ExpectedRevision,
  type ProposedEvent,
  type StoredEvent,
} from './in-memory.event-log';
import { READ_BATCH_SIZE, toServerSideFilter, type ServerSideFilter } from './server-side.filter';

export interface EventStoreDbStandInOptions {
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Default 0: an ephemeral port. */
  readonly port?: number;
  /**
   * Write a `$statsCollected` event to `$stats-<host:port>` this often, as the real server does
   * (every 30 s by default there), so that live subscriptions see system events too. Off when 0.
   */
  readonly statsIntervalMs?: number;
}

/** The server's default MaxAppendSize (1 MiB). */
const MAX_APPEND_SIZE = 1_048_576;

const SERVER_VERSION = '0.0.0-standin';

type ReadCall = grpc.ServerWritableStream<ReadReq, ReadResp>;
type AppendCall = grpc.ServerReadableStream<AppendReq, AppendResp>;

/**
 * A wire-level EventStoreDB stand-in for tests: a gRPC server speaking the subset of the
 * EventStoreDB client protocol that @eventstore/db-client needs for appends, reads and
 * catch-up subscriptions (see README.md beside this file for what it does and does not do).
 */
export class EventStoreDbStandIn {
  private statsTimer: NodeJS.Timeout | undefined;

  private constructor(
    private readonly server: grpc.Server,
    readonly log: InMemoryEventLog,
    readonly host: string,
    readonly port: number,
  ) {}

  /** `esdb://host:port?tls=false`, ready for EventStoreDBClient.connectionString. */
  get connectionString(): string {
    return `esdb://${this.host}:${this.port}?tls=false`;
  }

  static async start(options: EventStoreDbStandInOptions = {}): Promise<EventStoreDbStandIn> {
    const host = options.host ?? '127.0.0.1';
    const log = new InMemoryEventLog();
    const server = new grpc.Server();
    server.addService(ServerFeaturesService, { getSupportedMethods });
    // Delete, Tombstone and BatchAppend are left out: grpc-js answers them with UNIMPLEMENTED.
    server.addService(StreamsService, {
      read: (call: ReadCall) => void read(log, call),
      append: (call: AppendCall, callback: grpc.sendUnaryData<AppendResp>) =>
        append(log, call, callback),
    });
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync(
        `${host}:${options.port ?? 0}`,
        grpc.ServerCredentials.createInsecure(),
        (error, bound) => (error ? reject(error) : resolve(bound)),
      ),
    );
    const standIn = new EventStoreDbStandIn(server, log, host, port);
    standIn.writeStartupSystemEvents();
    if (options.statsIntervalMs) {
      standIn.statsTimer = setInterval(() => standIn.writeStats(), options.statsIntervalMs);
      standIn.statsTimer.unref();
    }
    return standIn;
  }

  async stop(): Promise<void> {
    if (this.statsTimer) clearInterval(this.statsTimer);
    // Open subscriptions never end on their own, so a graceful shutdown would wait forever.
    this.server.forceShutdown();
  }

  /** Events of the kind a fresh node writes, so that system-event filtering has work to do. */
  private writeStartupSystemEvents(): void {
    this.writeSystem('$$$scavenges', '$metadata', { $maxAge: 2_592_000 });
    this.writeSystem('$user-admin', '$user', {
      loginName: 'admin',
      fullName: 'Event Store Administrator',
    });
    this.writeSystem('$users', '$User', { loginName: 'admin' });
    this.writeStats();
  }

  private writeStats(): void {
    this.writeSystem(`$stats-${this.host}:${this.port}`, '$statsCollected', {
      'proc-startTime': new Date().toISOString(),
      'proc-mem': process.memoryUsage().rss,
    });
  }

  private writeSystem(streamName: string, type: string, data: object): void {
    this.log.append(streamName, { kind: 'any' }, [
      {
        id: randomUUID(),
        type,
        contentType: 'application/json',
        data: Buffer.from(JSON.stringify(data)),
        metadata: new Uint8Array(),
      },
    ]);
  }
}

function getSupportedMethods(
  _call: grpc.ServerUnaryCall<Empty, SupportedMethods>,
  callback: grpc.sendUnaryData<SupportedMethods>,
): void {
  // The client compares lower-cased paths; it uses BatchAppend only when it is listed here.
  const method = (service: string, name: string, features: string[] = []) =>
    new SupportedMethod().setServiceName(service).setMethodName(name).setFeaturesList(features);
  callback(
    null,
    new SupportedMethods()
      .setEventStoreServerVersion(SERVER_VERSION)
      .setMethodsList([
        method('event_store.client.streams.streams', 'read', ['position', 'events']),
        method('event_store.client.streams.streams', 'append'),
        method('event_store.client.server_features.serverfeatures', 'getsupportedmethods'),
      ]),
  );
}

// ---------------------------------------------------------------------------------- append

function append(
  log: InMemoryEventLog,
  call: AppendCall,
  callback: grpc.sendUnaryData<AppendResp>,
): void {
  const messages: AppendReq[] = [];
  let failed = false;
  call.on('data', (message: AppendReq) => messages.push(message));
  call.on('error', () => (failed = true));
  call.on('end', () => {
    if (failed) return;
    const [header, ...proposed] = messages;
    const options = header?.getOptions();
    if (!options || proposed.some((m) => !m.hasProposedMessage())) {
      callback(serviceError(grpc.status.INVALID_ARGUMENT, 'first message must be options'));
      return;
    }
    const streamName = streamNameOf(options.getStreamIdentifier());
    const expected = toExpectedRevision(options);
    const events: ProposedEvent[] = [];
    let size = 0;
    for (const message of proposed) {
      const event = message.getProposedMessage()!;
      const metadata = event.getMetadataMap();
      const type = metadata.get('type');
      const contentType = metadata.get('content-type');
      if (type === undefined || contentType === undefined) {
        callback(
          serviceError(grpc.status.INVALID_ARGUMENT, 'required metadata property missing', {
            exception: 'missing-required-metadata-property',
            'required-metadata-properties': 'type,content-type',
          }),
        );
        return;
      }
      const data = event.getData_asU8();
      size += data.length;
      if (size > MAX_APPEND_SIZE) {
        callback(
          serviceError(grpc.status.INVALID_ARGUMENT, 'maximum append size exceeded', {
            exception: 'maximum-append-size-exceeded',
            'maximum-append-size': String(MAX_APPEND_SIZE),
          }),
        );
        return;
      }
      events.push({
        id: uuidOf(event.getId()),
        type,
        contentType,
        data,
        metadata: event.getCustomMetadata_asU8(),
      });
    }

    const outcome = log.append(streamName, expected, events);
    const response = new AppendResp();
    if (outcome.kind === 'wrong_expected_version') {
      // Since 20.6 the server answers a conflict with a response, not an RpcException.
      const wrong = new AppendResp.WrongExpectedVersion();
      if (outcome.currentRevision < 0n) wrong.setCurrentNoStream(new Empty());
      else wrong.setCurrentRevision(outcome.currentRevision.toString());
      switch (expected.kind) {
        case 'any':
          wrong.setExpectedAny(new Empty());
          break;
        case 'no_stream':
          wrong.setExpectedNoStream(new Empty());
          break;
        case 'stream_exists':
          wrong.setExpectedStreamExists(new Empty());
          break;
        case 'revision':
          wrong.setExpectedRevision(expected.revision.toString());
          break;
      }
      callback(null, response.setWrongExpectedVersion(wrong));
      return;
    }
    const success = new AppendResp.Success();
    if (outcome.lastRevision < 0n) success.setNoStream(new Empty());
    else success.setCurrentRevision(outcome.lastRevision.toString());
    if (outcome.position === undefined) success.setNoPosition(new Empty());
    else
      success.setPosition(
        new AppendResp.Position()
          .setCommitPosition(outcome.position.toString())
          .setPreparePosition(outcome.position.toString()),
      );
    callback(null, response.setSuccess(success));
  });
}

function toExpectedRevision(options: AppendReq.Options): ExpectedRevision {
  if (options.hasRevision()) return { kind: 'revision', revision: BigInt(options.getRevision()) };
  if (options.hasNoStream()) return { kind: 'no_stream' };
  if (options.hasStreamExists()) return { kind: 'stream_exists' };
  return { kind: 'any' };
}

// ------------------------------------------------------------------------------------ read

async function read(log: InMemoryEventLog, call: ReadCall): Promise<void> {
  const writer = new ResponseWriter(call);
  try {
    const options = call.request.getOptions();
    if (!options) throw serviceError(grpc.status.INVALID_ARGUMENT, 'read without options');
    const filter = options.hasFilter() ? toServerSideFilter(options.getFilter()!) : undefined;
    if (filter instanceof Error)
      throw serviceError(grpc.status.INVALID_ARGUMENT, `invalid filter: ${filter.message}`);
    const encode = eventEncoder(options);
    const backwards = options.getReadDirection() === ReadReq.Options.ReadDirection.BACKWARDS;
    const count = options.hasCount() ? BigInt(options.getCount()) : 0n;

    if (options.hasSubscription()) {
      if (backwards)
        throw serviceError(grpc.status.INVALID_ARGUMENT, 'subscriptions read forwards');
      if (options.hasAll()) await subscribeToAll(log, writer, encode, options.getAll()!, filter);
      else if (filter) throw serviceError(grpc.status.INVALID_ARGUMENT, 'filters apply to $all');
      else await subscribeToStream(log, writer, encode, options.getStream()!);
    } else if (options.hasAll()) {
      await readAll(log, writer, encode, options.getAll()!, backwards, count, filter);
    } else {
      if (filter) throw serviceError(grpc.status.INVALID_ARGUMENT, 'filters apply to $all');
      await readStream(log, writer, encode, options.getStream()!, backwards, count);
    }
    writer.end();
  } catch (error) {
    if (error instanceof ClientGone) return;
    writer.fail(isServiceError(error) ? error : serviceError(grpc.status.UNKNOWN, String(error)));
  }
}

async function readStream(
  log: InMemoryEventLog,
  writer: ResponseWriter,
  encode: EventEncoder,
  options: ReadReq.Options.StreamOptions,
  backwards: boolean,
  count: bigint,
): Promise<void> {
  const identifier = options.getStreamIdentifier();
  const events = log.stream(streamNameOf(identifier));
  if (!events) {
    await writer.write(
      new ReadResp().setStreamNotFound(
        new ReadResp.StreamNotFound().setStreamIdentifier(identifier),
      ),
    );
    return;
  }
  const last = events.length - 1;
  let sent = 0n;
  if (backwards) {
    const from = options.hasRevision()
      ? Number(min(BigInt(options.getRevision()), BigInt(last)))
      : last;
    for (let index = options.hasStart() ? 0 : from; index >= 0 && sent < count; index--, sent++)
      await writer.write(encode(events[index], false));
  } else {
    const from = options.hasRevision()
      ? BigInt(options.getRevision())
      : options.hasEnd()
        ? BigInt(events.length)
        : 0n;
    for (let index = from; index <= BigInt(last) && sent < count; index++, sent++)
      await writer.write(encode(events[Number(index)], false));
  }
}

async function readAll(
  log: InMemoryEventLog,
  writer: ResponseWriter,
  encode: EventEncoder,
  options: ReadReq.Options.AllOptions,
  backwards: boolean,
  count: bigint,
  filter: ServerSideFilter | undefined,
): Promise<void> {
  let sent = 0n;
  // Forwards from a position includes the event there; backwards from it excludes it (the
  // server pages backwards from the position of the last event it returned).
  if (backwards) {
    let index = options.hasPosition()
      ? log.indexAtOrAfter(BigInt(options.getPosition()!.getCommitPosition())) - 1
      : options.hasStart()
        ? -1
        : log.length - 1;
    for (; index >= 0 && sent < count; index--) {
      const event = log.at(index);
      if (filter && !filter.matches(event)) continue;
      await writer.write(encode(event, true));
      sent++;
    }
  } else {
    const end = log.length;
    let index = options.hasPosition()
      ? log.indexAtOrAfter(BigInt(options.getPosition()!.getCommitPosition()))
      : options.hasEnd()
        ? end
        : 0;
    for (; index < end && sent < count; index++) {
      const event = log.at(index);
      if (filter && !filter.matches(event)) continue;
      await writer.write(encode(event, true));
      sent++;
    }
  }
}

/**
 * Catch-up, then live, over one cursor into the log: history and live events come from the same
 * array in commit order, so nothing can fall between "caught up" and "live".
 */
async function subscribeToAll(
  log: InMemoryEventLog,
  writer: ResponseWriter,
  encode: EventEncoder,
  options: ReadReq.Options.AllOptions,
  filter: ServerSideFilter | undefined,
): Promise<void> {
  let cursor: number;
  if (options.hasPosition()) {
    // As Enumerators.AllSubscription: read one event at the position and start after it, so a
    // checkpoint (the position of an event already seen) is never delivered twice.
    const at = log.indexAtOrAfter(BigInt(options.getPosition()!.getCommitPosition()));
    cursor = at < log.length ? at + 1 : at;
  } else {
    cursor = options.hasEnd() ? log.length : 0;
  }
  await writer.write(confirmation());

  let caughtUp = false;
  let considered = 0;
  while (!writer.closed) {
    if (cursor >= log.length) {
      if (!caughtUp) {
        caughtUp = true;
        await writer.write(new ReadResp().setCaughtUp(new ReadResp.CaughtUp()));
      }
      await writer.until(log.waitForAppend(cursor));
      continue;
    }
    if (!filter) {
      await writer.write(encode(log.at(cursor++), true));
      continue;
    }
    if (caughtUp) {
      // Live: the subscription service counts every event it looks at.
      const event = log.at(cursor++);
      if (filter.matches(event)) await writer.write(encode(event, true));
      if (++considered >= filter.checkpointInterval) {
        considered = 0;
        await writer.write(checkpoint(event.position));
      }
      continue;
    }
    // Catch-up: one filtered page, as FilteredReadAllEventsForward answers it.
    const pageStart = log.at(cursor).position;
    let lastDelivered: bigint | undefined;
    let delivered = 0;
    let scanned = 0;
    while (cursor < log.length && scanned < filter.maxSearchWindow && delivered < READ_BATCH_SIZE) {
      const event = log.at(cursor++);
      scanned++;
      if (!filter.matches(event)) continue;
      await writer.write(encode(event, true));
      lastDelivered = event.position;
      delivered++;
    }
    considered += scanned;
    if (cursor < log.length && considered >= filter.checkpointInterval) {
      considered %= filter.checkpointInterval;
      await writer.write(checkpoint(lastDelivered ?? pageStart));
    }
  }
}

async function subscribeToStream(
  log: InMemoryEventLog,
  writer: ResponseWriter,
  encode: EventEncoder,
  options: ReadReq.Options.StreamOptions,
): Promise<void> {
  const streamName = streamNameOf(options.getStreamIdentifier());
  const current = () => log.stream(streamName)?.length ?? 0;
  // A stream subscription starts after the given revision (exclusive), like $all's.
  let next = options.hasRevision()
    ? Number(BigInt(options.getRevision()) + 1n)
    : options.hasEnd()
      ? current()
      : 0;
  let seenInLog = log.length;
  await writer.write(confirmation());
  let caughtUp = false;
  while (!writer.closed) {
    const events = log.stream(streamName) ?? [];
    if (next < events.length) {
      await writer.write(encode(events[next++], caughtUp));
      continue;
    }
    if (!caughtUp) {
      caughtUp = true;
      await writer.write(new ReadResp().setCaughtUp(new ReadResp.CaughtUp()));
    }
    await writer.until(log.waitForAppend(seenInLog));
    seenInLog = log.length;
  }
}

// -------------------------------------------------------------------------------- encoding

type EventEncoder = (event: StoredEvent, withCommitPosition: boolean) => ReadResp;

function eventEncoder(options: ReadReq.Options): EventEncoder {
  const structured = options.getUuidOption()?.hasStructured() ?? false;
  return (event, withCommitPosition) => {
    const recorded = new ReadResp.ReadEvent.RecordedEvent()
      .setId(structured ? structuredUuid(event.id) : new UUID().setString(event.id))
      .setStreamIdentifier(new StreamIdentifier().setStreamName(Buffer.from(event.streamName)))
      .setStreamRevision(event.revision.toString())
      .setCommitPosition(event.position.toString())
      .setPreparePosition(event.position.toString())
      .setData(event.data)
      .setCustomMetadata(event.metadata);
    recorded
      .getMetadataMap()
      .set('type', event.type)
      .set('content-type', event.contentType)
      .set('created', event.created.toString());
    // $all reads and live events carry the commit position; stream reads answer no_position.
    const readEvent = new ReadResp.ReadEvent().setEvent(recorded);
    if (withCommitPosition) readEvent.setCommitPosition(event.position.toString());
    else readEvent.setNoPosition(new Empty());
    return new ReadResp().setEvent(readEvent);
  };
}

function confirmation(): ReadResp {
  return new ReadResp().setConfirmation(
    new ReadResp.SubscriptionConfirmation().setSubscriptionId(randomUUID()),
  );
}

function checkpoint(position: bigint): ReadResp {
  return new ReadResp().setCheckpoint(
    new ReadResp.Checkpoint()
      .setCommitPosition(position.toString())
      .setPreparePosition(position.toString()),
  );
}

function streamNameOf(identifier: StreamIdentifier | undefined): string {
  return Buffer.from(identifier?.getStreamName_asU8() ?? new Uint8Array()).toString('utf8');
}

function uuidOf(uuid: UUID | undefined): string {
  if (!uuid) return randomUUID();
  if (uuid.hasString()) return uuid.getString();
  const structured = uuid.getStructured()!;
  const bytes = Buffer.alloc(16);
  bytes.writeBigInt64BE(BigInt(structured.getMostSignificantBits()), 0);
  bytes.writeBigInt64BE(BigInt(structured.getLeastSignificantBits()), 8);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function structuredUuid(id: string): UUID {
  const bytes = Buffer.from(id.replace(/-/g, ''), 'hex');
  return new UUID().setStructured(
    new UUID.Structured()
      .setMostSignificantBits(bytes.readBigInt64BE(0).toString())
      .setLeastSignificantBits(bytes.readBigInt64BE(8).toString()),
  );
}

function min(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}

// ---------------------------------------------------------------------------------- errors

function serviceError(
  code: grpc.status,
  details: string,
  metadata: Record<string, string> = {},
): grpc.ServiceError {
  const md = new grpc.Metadata();
  for (const [key, value] of Object.entries(metadata)) md.set(key, value);
  return Object.assign(new Error(details), { code, details, metadata: md });
}

function isServiceError(error: unknown): error is grpc.ServiceError {
  return error instanceof Error && 'code' in error && 'metadata' in error;
}

/** Thrown into a read loop when the client cancelled the call. */
class ClientGone extends Error {}

/** Writes with backpressure, and turns a client's cancel into ClientGone for the loops. */
class ResponseWriter {
  closed = false;
  private readonly gone: Promise<void>;

  constructor(private readonly call: ReadCall) {
    this.gone = new Promise((resolve) =>
      call.on('cancelled', () => {
        this.closed = true;
        resolve();
      }),
    );
  }

  async write(response: ReadResp): Promise<void> {
    if (this.closed) throw new ClientGone();
    if (this.call.write(response)) return;
    await Promise.race([new Promise((resolve) => this.call.once('drain', resolve)), this.gone]);
    if (this.closed) throw new ClientGone();
  }

  /** Waits for the log to grow, or for the client to leave. */
  async until(wait: { promise: Promise<void>; cancel: () => void }): Promise<void> {
    await Promise.race([wait.promise, this.gone]);
    wait.cancel();
    if (this.closed) throw new ClientGone();
  }

  end(): void {
    if (!this.closed) this.call.end();
  }

  fail(error: grpc.ServiceError): void {
    if (!this.closed) this.call.emit('error', error);
  }
}
