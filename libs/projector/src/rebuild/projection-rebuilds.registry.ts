import { Logger } from '@nestjs/common';
import type { EventStore } from '@rapport/event-store';
import type { OffThreadStore } from './off-thread/build-worker.protocol';
import type { ReadStore, ViewGenerations } from '@rapport/read-store';
import { PROJECTIONS, projectionNamed } from '../projection-catalog';
import { ProjectionRebuild, type LiveProjector, type RebuildProgress } from './projection-rebuild';
import { RebuildInProgressError, UnknownProjectionError } from './rebuild.errors';

export const PROJECTION_REBUILDS = Symbol('PROJECTION_REBUILDS');

const KEPT = 20;

/**
 * The rebuilds this process started (over HTTP): one at a time per projection, their progress
 * kept for the status route after they finish.
 */
export class ProjectionRebuilds {
  private readonly logger = new Logger(ProjectionRebuilds.name);
  private readonly rebuilds = new Map<string, ProjectionRebuild>();
  private readonly running = new Set<Promise<unknown>>();
  private readonly abort = new AbortController();

  constructor(
    private readonly eventStore: EventStore,
    private readonly readStore: ReadStore,
    private readonly generations: ViewGenerations,
    private readonly live?: LiveProjector,
    private readonly options: {
      readonly graceMs?: number;
      readonly batchSize?: number;
      /** Where the event store is: rebuilds then fold on a worker thread (see ProjectionRebuild). */
      readonly offThread?: OffThreadStore;
    } = {},
  ) {}

  /** Starts a rebuild in the background and returns its id at once. */
  start(projectionName: string, mode: 'replay' | 'dry-run' = 'replay'): RebuildProgress {
    const projection = projectionNamed(projectionName);
    if (!projection)
      throw new UnknownProjectionError(
        projectionName,
        PROJECTIONS.map((p) => p.name),
      );
    const busy = [...this.rebuilds.values()].find(
      (r) => r.status().projection === projectionName && !r.status().finishedAt,
    );
    if (busy) throw new RebuildInProgressError(projectionName, busy.id);
    const rebuild = new ProjectionRebuild(this.eventStore, this.readStore, this.generations, {
      projection,
      mode,
      live: this.live,
      signal: this.abort.signal,
      ...this.options,
    });
    this.rebuilds.set(rebuild.id, rebuild);
    while (this.rebuilds.size > KEPT) this.rebuilds.delete(this.rebuilds.keys().next().value!);
    const run = rebuild
      .run()
      .catch((error: unknown) =>
        this.logger.error(`rebuild ${rebuild.id} of ${projectionName}: ${String(error)}`),
      )
      .finally(() => this.running.delete(run));
    this.running.add(run);
    return rebuild.status();
  }

  get(id: string): RebuildProgress | undefined {
    return this.rebuilds.get(id)?.status();
  }

  list(): RebuildProgress[] {
    return [...this.rebuilds.values()].map((r) => r.status());
  }

  /** Interrupts running rebuilds (they resume from their checkpoint next time) and waits. */
  async stop(): Promise<void> {
    this.abort.abort();
    await Promise.all([...this.running]);
  }
}
