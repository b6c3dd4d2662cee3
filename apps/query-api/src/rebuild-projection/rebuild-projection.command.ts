import { Command } from '@nestjs/cqrs';
import type { RebuildProgress } from '@rapport/projector';

/** Start a blue/green rebuild of one projection's view (answers at once with its progress). */
export class RebuildProjectionCommand extends Command<RebuildProgress> {
  constructor(
    readonly projection: string,
    readonly dryRun: boolean,
  ) {
    super();
  }
}
