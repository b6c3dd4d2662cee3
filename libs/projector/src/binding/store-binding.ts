import type { EventStore } from '@rapport/event-store';
import { ViewGenerations, type ReadStore } from '@rapport/read-store';
import { PROJECTIONS } from '../projection-catalog';

/** What a process does when the read store was built from another event store. */
export type ReadStoreMismatchPolicy = 'refuse' | 'rebuild';

/** One checkpoint of the read store as found: where it stands and which store it counts in. */
export interface CheckpointBinding {
  readonly checkpoint: string;
  /** -1 when nothing was applied (or the checkpoint is absent). */
  readonly position: bigint;
  /** The event store identity recorded with it; absent in a store written before bindings. */
  readonly eventStoreId?: string;
}

export interface BindingProblem extends CheckpointBinding {
  /** other-store: bound to another event store; beyond-head: past the last event of this one. */
  readonly reason: 'other-store' | 'beyond-head';
}

export interface StoreBindingReport {
  readonly eventStore: { readonly id: string; readonly head: bigint };
  /**
   * bound: every checkpoint counts in this event store, within its head (or is empty);
   * unrecorded: some checkpoint has positions but no recorded store, all within the head (a
   * read store written before bindings, adopted by the projector at start);
   * mismatch: some checkpoint was built from another store or is past this one's head.
   */
  readonly state: 'bound' | 'unrecorded' | 'mismatch';
  readonly checkpoints: readonly CheckpointBinding[];
  readonly problems: readonly BindingProblem[];
}

/**
 * Compares what the read store was built from with the event store here: the live
 * projector's checkpoint and, for each projection, its active generation and the pointer to
 * it. Reads only; safe from any process at any time.
 */
export async function checkStoreBinding(
  eventStore: EventStore,
  readStore: ReadStore,
  liveCheckpoint = 'projector',
): Promise<StoreBindingReport> {
  const names = [liveCheckpoint];
  for (const { name } of PROJECTIONS) {
    // The pointer as stored, not through a ViewGenerations cache (nor invalidating one).
    const pointer = ViewGenerations.pointerCheckpoint(name);
    const generation = Number((await readStore.getCheckpoint(pointer)) ?? 0n);
    if (generation > 0) names.push(pointer, ViewGenerations.buildCheckpoint(name, generation));
  }
  const checkpoints = await Promise.all(
    names.map(async (checkpoint): Promise<CheckpointBinding> => {
      const [position, eventStoreId] = await Promise.all([
        readStore.getCheckpoint(checkpoint),
        readStore.getBinding(checkpoint),
      ]);
      return {
        checkpoint,
        // A pointer holds a generation, not a position: only its binding is judged.
        position: checkpoint.startsWith('projection-pointer:') ? -1n : (position ?? -1n),
        ...(eventStoreId === undefined ? {} : { eventStoreId }),
      };
    }),
  );
  // The head after the checkpoints: a projector applying events meanwhile moves a checkpoint
  // only up to a head that is already there when the head is read.
  const [id, head] = await Promise.all([eventStore.identity(), eventStore.headPosition()]);
  const problems = checkpoints.flatMap((found): BindingProblem[] => {
    if (found.eventStoreId !== undefined && found.eventStoreId !== id)
      // Nothing applied yet (a reset build checkpoint) is not built from anything.
      return found.position < 0n && !found.checkpoint.startsWith('projection-pointer:')
        ? []
        : [{ ...found, reason: 'other-store' }];
    return found.position > head ? [{ ...found, reason: 'beyond-head' }] : [];
  });
  const unrecorded = checkpoints.some(
    (found) => found.eventStoreId === undefined && found.position >= 0n,
  );
  return {
    eventStore: { id, head },
    state: problems.length ? 'mismatch' : unrecorded ? 'unrecorded' : 'bound',
    checkpoints,
    problems,
  };
}

/** One line per problem, naming both identities and positions. */
export function describeBindingProblems(report: StoreBindingReport): string {
  const here = `event store ${report.eventStore.id} (head ${report.eventStore.head})`;
  return report.problems
    .map((problem) =>
      problem.reason === 'other-store'
        ? `checkpoint "${problem.checkpoint}" was built from event store ${problem.eventStoreId}` +
          (problem.position >= 0n ? ` up to position ${problem.position}` : '') +
          `, not from this ${here}`
        : `checkpoint "${problem.checkpoint}" is at position ${problem.position}, beyond the ` +
          `head of this ${here}: the event store is older than the read store (restored from ` +
          'a backup?)',
    )
    .join('; ');
}

/** The command that fixes a mismatch, for messages. */
export const REBUILD_COMMAND = 'rapport replay --projection all';
