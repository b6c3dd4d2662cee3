import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  CustomerHistoryUnreadableError,
  customerStreamName,
  decideInTurn,
  foldCustomer,
  initialCustomerState,
  recordTouchpoint,
  sharedMetadata,
  upcastCustomerEvent,
  type CopyRecordedKeys,
  type CustomerEvent,
  type CustomerState,
  type MetadataOf,
} from '@rapport/domain';
import {
  EVENT_STORE,
  isEventIdTaken,
  type AppendOutcome,
  type AppendRequest,
  type EventStore,
  type ExpectedRevision,
  type NewEvent,
} from '@rapport/event-store';
import { appendDuration } from './append.metrics';
import { CustomerQueue } from './customer-queue';
import { CustomerStateCache, type CachedCustomer } from './customer-state.cache';
import type { CustomerBatch, ItemOutcome } from './customer-batch';
import { hashEventId } from './event-id.hasher';
import { RefusedTouchpoints } from './refused-touchpoints';
import { TouchpointKeys } from './touchpoint-keys';

export type { CustomerBatch, ItemOutcome } from './customer-batch';

export interface CustomerBatchResult {
  readonly customerId: string;
  readonly outcomes: readonly ItemOutcome[];
  /**
   * Global position at or after every touchpoint of the batch that is in the store (recorded
   * now or before): a query that waits for it sees them all. -1 when nothing is stored.
   */
  readonly position: bigint;
}

export interface RecordContext {
  readonly ingestedAt: string;
  readonly correlationId: string;
}

/** A stream kept moving under us more times than we are willing to retry. */
export class ConcurrencyRetriesExhaustedError extends Error {
  readonly code = 'CONCURRENCY_RETRIES_EXHAUSTED';
  readonly retryable = true;
  constructor(streams: readonly string[], attempts: number) {
    super(`streams ${streams.join(', ')} kept changing during ${attempts} attempts`);
    this.name = 'ConcurrencyRetriesExhaustedError';
  }
}

const MAX_ATTEMPTS = 5;

/**
 * A cached customer is decided again at every batch, and its recorded keys grow with its
 * history: a draft layers its new keys over the cached ones instead of copying them all.
 */
const layerRecordedKeys: CopyRecordedKeys = (recorded) => new TouchpointKeys(recorded);

interface Decided {
  readonly batch: CustomerBatch;
  readonly outcomes: ItemOutcome[];
  /** As appended: an id is a SHA-1, computed once for the outcome and the event. */
  readonly events: NewEvent[];
  readonly state: CustomerState;
  readonly revision: ExpectedRevision;
  readonly lastPosition: bigint;
}

/**
 * The write path for touchpoints: load each customer's state, decide, append every customer's
 * new events with expectedRevision in one appendMany, and decide again for the customers whose
 * stream moved meanwhile. Customer state is cached after a successful append: it is only a
 * shortcut, since a stale entry fails the expectedRevision check and is reloaded.
 */
@Injectable()
export class TouchpointRecorder {
  private readonly logger = new Logger(TouchpointRecorder.name);
  private readonly appendDuration = appendDuration();
  private readonly queue = new CustomerQueue();

  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    private readonly cache: CustomerStateCache,
  ) {}

  async record(
    batches: readonly CustomerBatch[],
    context: RecordContext,
  ): Promise<CustomerBatchResult[]> {
    return (await this.recordAfter([], batches, context))!;
  }

  /**
   * As `record`, the first append carrying `prerequisites` before the touchpoints (identity
   * links: one transaction on SQLite), the touchpoints written only if every prerequisite was
   * accepted. Undefined, nothing of the touchpoints written, when one was refused.
   */
  async recordAfter(
    prerequisites: readonly AppendRequest[],
    batches: readonly CustomerBatch[],
    context: RecordContext,
  ): Promise<CustomerBatchResult[] | undefined> {
    const customerIds = batches.map((b) => b.customerId);
    if (new Set(customerIds).size !== batches.length) {
      throw new Error(
        'each customer must appear in one batch only: group touchpoints by customer first',
      );
    }
    return this.queue.run(customerIds, () => this.recordInTurn(batches, context, prerequisites));
  }

  /** Results by the batches' index: a Map by customer id cost a table growing per batch. */
  private async recordInTurn(
    batches: readonly CustomerBatch[],
    context: RecordContext,
    prerequisites: readonly AppendRequest[],
  ): Promise<CustomerBatchResult[] | undefined> {
    const results = new Array<CustomerBatchResult>(batches.length);
    // One metadata object for the events of the whole call (same ingest time and correlation).
    const metadataOf = sharedMetadata();
    let pending = batches.map((_, at) => at);
    /** The batches to decide: as given, until the store refuses touchpoints of one. */
    let deciding = batches;
    let refused: RefusedTouchpoints | undefined;
    for (let attempt = 1; pending.length > 0; attempt++) {
      if (attempt > MAX_ATTEMPTS) {
        throw new ConcurrencyRetriesExhaustedError(
          pending.map((at) => customerStreamName(batches[at].customerId)),
          MAX_ATTEMPTS,
        );
      }
      const loaded = await this.statesOf(batches, pending);
      const toAppend: Decided[] = [];
      const toAppendAt: number[] = [];
      pending.forEach((at, i) => {
        const d = this.decideBatch(deciding[at], loaded[i], context, metadataOf);
        if (d.events.length === 0) results[at] = result(d, d.lastPosition, at, refused);
        else {
          toAppend.push(d);
          toAppendAt.push(at);
        }
      });
      let outcomes: AppendOutcome[];
      if (prerequisites.length === 0)
        outcomes = await this.timedAppend(toAppend.map(toAppendRequest));
      else {
        const all = await this.timedAppend(
          [...prerequisites, ...toAppend.map(toAppendRequest)],
          prerequisites.length,
        );
        if (all.some((outcome, i) => i < prerequisites.length && !outcome.ok)) return undefined;
        outcomes = all.slice(prerequisites.length);
        prerequisites = [];
      }
      const conflicted: number[] = [];
      outcomes.forEach((outcome, i) => {
        const d = toAppend[i];
        if (outcome.ok) {
          this.cache.set(d.batch.customerId, {
            state: d.state,
            revision: outcome.result.nextExpectedRevision,
            lastPosition: outcome.result.position,
          });
          results[toAppendAt[i]] = result(d, outcome.result.position, toAppendAt[i], refused);
        } else if (isEventIdTaken(outcome.error)) {
          // Nothing was written and the cached state still holds: decide again without them.
          const at = toAppendAt[i];
          if (deciding === batches) deciding = [...batches];
          refused ??= new RefusedTouchpoints();
          (deciding as CustomerBatch[])[at] = refused.refuse(at, batches[at], outcome.error);
          conflicted.push(at);
        } else {
          this.cache.delete(d.batch.customerId);
          conflicted.push(toAppendAt[i]);
        }
      });
      if (conflicted.length) {
        this.logger.debug(
          `${conflicted.length} customers to decide again after attempt ${attempt} (streams moved, or touchpoint ids were refused)`,
        );
      }
      pending = conflicted;
    }
    return results;
  }

  private async timedAppend(requests: AppendRequest[], prerequisites = 0) {
    const end = this.appendDuration.startTimer();
    try {
      const outcomes = prerequisites
        ? await this.eventStore.appendMany(requests, { prerequisites })
        : await this.eventStore.appendMany(requests);
      end({ outcome: outcomes.every((o) => o.ok) ? 'ok' : 'conflict' });
      return outcomes;
    } catch (error) {
      end({ outcome: 'error' });
      throw error;
    }
  }

  /** The pending batches' customers from the cache, else from the store (all misses at once). */
  private async statesOf(
    batches: readonly CustomerBatch[],
    pending: readonly number[],
  ): Promise<CachedCustomer[]> {
    const states = pending.map((at) => this.cache.get(batches[at].customerId));
    const misses: Promise<CachedCustomer>[] = [];
    states.forEach((state, i) => {
      if (state === undefined) misses.push(this.load(batches[pending[i]].customerId));
    });
    if (misses.length === 0) return states as CachedCustomer[];
    const read = await Promise.all(misses);
    let next = 0;
    return states.map((state) => state ?? read[next++]);
  }

  private decideBatch(
    batch: CustomerBatch,
    loaded: CachedCustomer,
    context: RecordContext,
    metadataOf: MetadataOf,
  ): Decided {
    if (loaded.unreadable) {
      const { code, message } = loaded.unreadable;
      return {
        batch,
        outcomes: batch.touchpoints.map(() => ({ status: 'rejected', code, reason: message })),
        events: [],
        state: loaded.state,
        revision: loaded.revision,
        lastPosition: loaded.lastPosition,
      };
    }
    const { decisions, state } = decideInTurn(
      batch.touchpoints.map((tp) =>
        recordTouchpoint(tp, context.ingestedAt, context.correlationId),
      ),
      loaded.state,
      { copyRecorded: layerRecordedKeys, metadataOf },
    );
    // Arrays made at their size: one grown by push from empty holds 17 slots at the first.
    let eventCount = 0;
    const outcomes = decisions.map((decision, i): ItemOutcome => {
      if (!decision.ok) {
        const { code, message } = decision.error;
        return { status: 'rejected', code, reason: message };
      }
      const touchpoint = batch.touchpoints[i];
      const eventId = hashEventId(touchpoint.source, touchpoint.touchpointId);
      eventCount += decision.events.length;
      return { status: decision.events.length === 0 ? 'duplicate' : 'recorded', eventId };
    });
    const events = new Array<NewEvent>(eventCount);
    let next = 0;
    decisions.forEach((decision, i) => {
      if (!decision.ok) return;
      const { eventId } = outcomes[i] as { readonly eventId: string };
      for (const event of decision.events) events[next++] = toNewEvent(event, eventId);
    });
    return {
      batch,
      outcomes,
      events,
      state,
      revision: loaded.revision,
      lastPosition: loaded.lastPosition,
    };
  }

  private async load(customerId: string): Promise<CachedCustomer> {
    const stored = await this.eventStore.readStream(customerStreamName(customerId));
    const last = stored[stored.length - 1];
    const revision = last ? last.revision : ('no_stream' as const);
    const lastPosition = last ? last.position : -1n;
    try {
      const events = stored
        .map(upcastCustomerEvent)
        .filter((e): e is CustomerEvent => e !== undefined);
      return { state: foldCustomer(events), revision, lastPosition };
    } catch (error) {
      // One customer's damaged stream must not fail the batch of everyone else (a 500, or a
      // Kafka batch retried for ever): their touchpoints are refused with the reason.
      const unreadable = new CustomerHistoryUnreadableError(customerId, String(error));
      this.logger.warn(unreadable.message);
      return { state: initialCustomerState(), revision, lastPosition, unreadable };
    }
  }
}

function toAppendRequest(d: Decided): AppendRequest {
  return {
    streamName: customerStreamName(d.batch.customerId),
    expectedRevision: d.revision,
    events: d.events,
  };
}

export function toNewEvent(
  event: CustomerEvent,
  id = hashEventId(event.metadata.source, event.data.touchpointId),
): NewEvent {
  return {
    id,
    type: event.type,
    data: event.data,
    // Not copied: events of a batch share one frozen metadata object, serialised once.
    metadata: event.metadata as unknown as NewEvent['metadata'],
  };
}

function result(
  d: Decided,
  position: bigint,
  at: number,
  refused: RefusedTouchpoints | undefined,
): CustomerBatchResult {
  const outcomes = refused ? refused.outcomesOf(at, d.outcomes) : d.outcomes;
  return { customerId: d.batch.customerId, outcomes, position };
}
