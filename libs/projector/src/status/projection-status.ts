import type { EventStore } from '@rapport/event-store';
import { ViewGenerations, type ReadStore } from '@rapport/read-store';
import { readParkedCustomers, type ParkedCustomers } from '../parking/parked-customers';
import { PROJECTIONS } from '../projection-catalog';
import type { RebuildProgress, RebuildState } from '../rebuild/projection-rebuild';

export interface ProjectionStatus {
  readonly name: string;
  /** Active blue/green generation and the collection readers use. */
  readonly generation: number;
  readonly collection: string;
  readonly records: number;
  /** Last position the live projector applied (its checkpoint); -1 before the first event. */
  readonly position: string;
  /** Event store head minus position (positions, not always events: see the lag metric). */
  readonly lag: string;
  /** Generation a rebuild is writing (possibly interrupted, to be resumed), if any. */
  readonly building: {
    readonly generation: number;
    readonly position: string;
    /** How the rebuild of it started by this process stands (see withRebuildStates). */
    readonly state?: RebuildState;
    readonly error?: string;
  } | null;
  /**
   * Customers whose view stopped at an event it could not apply (stale until a rebuild after
   * the fix), the first ones listed.
   */
  readonly parked: ParkedCustomers;
}

export interface ProjectionsStatus {
  readonly head: string;
  readonly projections: readonly ProjectionStatus[];
}

/** Where each view stands, read from the shared stores: the same answer from any process. */
export async function readProjectionsStatus(
  eventStore: EventStore,
  readStore: ReadStore,
  generations: ViewGenerations,
  liveCheckpoint = 'projector',
): Promise<ProjectionsStatus> {
  const [head, position] = await Promise.all([
    eventStore.headPosition(),
    readStore.getCheckpoint(liveCheckpoint),
  ]);
  const at = position ?? -1n;
  const projections = await Promise.all(
    PROJECTIONS.map(async ({ name }) => {
      generations.invalidate(name);
      const generation = await generations.active(name);
      const collection = ViewGenerations.collection(name, generation);
      const building = await generations.building(name);
      const buildPosition =
        building === undefined
          ? undefined
          : await readStore.getCheckpoint(ViewGenerations.buildCheckpoint(name, building));
      return {
        name,
        generation,
        collection,
        records: await readStore.count(collection),
        parked: await readParkedCustomers(readStore, collection),
        position: at.toString(),
        lag: (head > at ? head - at : 0n).toString(),
        building:
          building === undefined || building <= generation
            ? null
            : { generation: building, position: (buildPosition ?? -1n).toString() },
      };
    }),
  );
  return { head: head.toString(), projections };
}

/**
 * The rebuild marker in the stores only says a generation is being written; it stays after a
 * rebuild failed or was interrupted, so that the next one resumes it. The rebuilds this process
 * ran say how it ended: a failed one shows `failed` with its reason, not a build in progress.
 */
export function withRebuildStates(
  status: ProjectionsStatus,
  rebuilds: readonly RebuildProgress[],
): ProjectionsStatus {
  return {
    ...status,
    projections: status.projections.map((projection) => {
      const building = projection.building;
      if (!building) return projection;
      const latest = rebuilds
        .filter((r) => r.projection === projection.name && r.generation === building.generation)
        .at(-1);
      if (!latest) return projection;
      return {
        ...projection,
        building: {
          ...building,
          state: latest.state,
          ...(latest.error ? { error: latest.error } : {}),
        },
      };
    }),
  };
}
