import { Logger } from '@nestjs/common';
import type { EventStore } from '@rapport/event-store';
import type { ReadStore, ViewGenerations } from '@rapport/read-store';
import { PROJECTIONS } from '../projection-catalog';
import { ProjectionRebuild } from '../rebuild/projection-rebuild';
import { checkStoreBinding, type StoreBindingReport } from './store-binding';
import { ReadStoreMismatchError } from './store-binding.errors';

const logger = new Logger('StoreBinding');

/**
 * Records this event store on every checkpoint the report found without it: empty ones, and
 * ones with positions written before bindings existed and within the head (adopted, said in
 * the log). Only for a report without problems.
 */
export async function bindReadStore(
  readStore: ReadStore,
  report: StoreBindingReport,
): Promise<void> {
  if (report.state === 'mismatch') throw new ReadStoreMismatchError(report);
  for (const found of report.checkpoints) {
    if (found.eventStoreId === report.eventStore.id) continue;
    if (found.position >= 0n)
      logger.warn(
        `checkpoint "${found.checkpoint}" (position ${found.position}) recorded no event store; ` +
          `adopted by event store ${report.eventStore.id}, whose head is ${report.eventStore.head}`,
      );
    await readStore.putBinding(found.checkpoint, report.eventStore.id);
  }
}

export interface RebuildReadStoreOptions {
  /** The live projector's checkpoint: restarts where the replay ends, bound to this store. */
  readonly liveCheckpoint: string;
  /** Events per read and write. */
  readonly batchSize: number;
  readonly signal?: AbortSignal;
}

/**
 * Every view replayed from this event store into a fresh generation, blue/green, as
 * `rapport replay --projection all` does; the live checkpoint then restarts where the replay
 * ended. Returns the report after it, which has no problems left.
 */
export async function rebuildReadStore(
  eventStore: EventStore,
  readStore: ReadStore,
  generations: ViewGenerations,
  options: RebuildReadStoreOptions,
): Promise<StoreBindingReport> {
  for (const projection of PROJECTIONS) {
    await new ProjectionRebuild(eventStore, readStore, generations, {
      projection,
      mode: 'replay',
      batchSize: options.batchSize,
      // The old generation holds another store's view: nobody should read it a moment longer.
      graceMs: 0,
      liveCheckpoint: options.liveCheckpoint,
      ...(options.signal ? { signal: options.signal } : {}),
    }).run();
  }
  const report = await checkStoreBinding(eventStore, readStore, options.liveCheckpoint);
  await bindReadStore(readStore, report);
  return report;
}
