import { setTimeout as sleep } from 'node:timers/promises';
import { Logger } from '@nestjs/common';
import type { Projection } from '@rapport/projections';
import type { ReadStore, ViewGenerations } from '@rapport/read-store';
import type { RebuildProgress } from './projection-rebuild';

/** The checkpoint that holds the version of `projection` a view collection was folded with. */
export const projectionVersionKey = (collection: string) => `projection-version:${collection}`;

export type VersionCheck =
  | {
      readonly projection: string;
      readonly action: 'current' | 'recorded';
      readonly version: number;
    }
  | {
      readonly projection: string;
      readonly action: 'rebuild';
      readonly folded: number | undefined;
      readonly version: number;
      readonly rebuild: RebuildProgress;
    };

export interface ProjectionVersionsOptions {
  /** Starts a blue/green rebuild of a projection (the rebuilds this process serves). */
  readonly startRebuild: (projection: string) => RebuildProgress;
  /** The rebuild's progress now; undefined once it is forgotten. */
  readonly progressOf: (id: string) => RebuildProgress | undefined;
  /** How often a started rebuild is looked at until it ends (default 1 s). */
  readonly pollMs?: number;
  /**
   * The views live in this process's memory and are folded from the first event at every
   * start (the embedded default): their version is only recorded, never a reason to rebuild.
   */
  readonly foldedAtEveryStart?: boolean;
}

/**
 * Keeps each view as the code folds it: the version of a projection (bumped when its evolve
 * changes meaning) is recorded beside each generation of its view. At start, a view folded with
 * another version — or holding records with none recorded (written before versions were) — is
 * rebuilt blue/green, and the new generation gets the version once the rebuild switched to it;
 * an empty view just gets the version. A rebuild cut short is started (resumed) again at the
 * next start, since the active view still has the old version.
 */
export class ProjectionVersions {
  private readonly logger = new Logger('ProjectionVersions');
  private readonly pending = new Set<Promise<void>>();
  private stopped = false;

  constructor(
    private readonly readStore: ReadStore,
    private readonly generations: ViewGenerations,
    private readonly options: ProjectionVersionsOptions,
  ) {}

  async check(projections: readonly Projection<unknown>[]): Promise<VersionCheck[]> {
    const checks: VersionCheck[] = [];
    for (const projection of projections) checks.push(await this.checkOne(projection));
    return checks;
  }

  /** Stops waiting for the rebuilds started (they stop with the registry); for shutdown. */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all([...this.pending]);
  }

  /** Resolves once every rebuild started has ended and its version is recorded (tests). */
  async settled(): Promise<void> {
    await Promise.all([...this.pending]);
  }

  private async checkOne(projection: Projection<unknown>): Promise<VersionCheck> {
    const { name, version } = projection;
    const collection = await this.generations.activeCollection(name);
    const folded = await this.readStore.getCheckpoint(projectionVersionKey(collection));
    if (folded !== undefined && Number(folded) === version)
      return { projection: name, action: 'current', version };
    if (
      this.options.foldedAtEveryStart ||
      (folded === undefined && (await this.isEmpty(collection)))
    ) {
      await this.readStore.putCheckpoint(projectionVersionKey(collection), BigInt(version));
      return { projection: name, action: 'recorded', version };
    }
    const rebuild = this.options.startRebuild(name);
    this.logger.warn(
      `${name}: the view was folded with ${folded === undefined ? 'no recorded version' : `version ${folded}`}, ` +
        `the code folds version ${version}: rebuilding it (rebuild ${rebuild.id}); it is served as it is until the switch`,
    );
    const waiting = this.recordWhenSwitched(name, version, rebuild.id).finally(() =>
      this.pending.delete(waiting),
    );
    this.pending.add(waiting);
    return {
      projection: name,
      action: 'rebuild',
      folded: folded === undefined ? undefined : Number(folded),
      version,
      rebuild,
    };
  }

  private async isEmpty(collection: string): Promise<boolean> {
    const page = await this.readStore.list<unknown>(collection, { limit: 1 });
    return page.records.length === 0;
  }

  private async recordWhenSwitched(name: string, version: number, id: string): Promise<void> {
    while (!this.stopped) {
      const progress = this.options.progressOf(id);
      if (!progress || progress.state === 'interrupted' || progress.state === 'failed') {
        this.logger.error(
          `${name}: the rebuild for version ${version} ended ${progress?.state ?? 'unseen'}` +
            `${progress?.error ? ` (${progress.error})` : ''}; it starts again at the next start`,
        );
        return;
      }
      if (progress.state === 'done' || progress.state === 'dropping') {
        this.generations.invalidate(name);
        const collection = await this.generations.activeCollection(name);
        await this.readStore.putCheckpoint(projectionVersionKey(collection), BigInt(version));
        this.logger.log(`${name}: rebuilt with version ${version} (${collection})`);
        return;
      }
      await sleep(this.options.pollMs ?? 1_000);
    }
  }
}
