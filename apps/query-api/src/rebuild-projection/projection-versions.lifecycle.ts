import {
  Inject,
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { RAPPORT_CONFIG, type RapportConfig } from '@rapport/config';
import {
  PROJECTION_REBUILDS,
  PROJECTIONS,
  ProjectionVersions,
  type ProjectionRebuilds,
} from '@rapport/projector';
import {
  READ_STORE,
  VIEW_GENERATIONS,
  type ReadStore,
  type ViewGenerations,
} from '@rapport/read-store';

/**
 * At start, rebuilds (blue/green, beside the serving view) every view folded with another
 * version of its projection than this code's, where this process serves rebuilds.
 */
@Injectable()
export class ProjectionVersionsLifecycle
  implements OnApplicationBootstrap, BeforeApplicationShutdown
{
  private readonly versions: ProjectionVersions;

  constructor(
    @Inject(RAPPORT_CONFIG) config: RapportConfig,
    @Inject(READ_STORE) readStore: ReadStore,
    @Inject(VIEW_GENERATIONS) generations: ViewGenerations,
    @Inject(PROJECTION_REBUILDS) rebuilds: ProjectionRebuilds,
  ) {
    this.versions = new ProjectionVersions(readStore, generations, {
      startRebuild: (projection) => rebuilds.start(projection),
      progressOf: (id) => rebuilds.get(id),
      foldedAtEveryStart: config.readStore.kind === 'memory',
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.versions.check(PROJECTIONS);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.versions.stop();
  }
}
