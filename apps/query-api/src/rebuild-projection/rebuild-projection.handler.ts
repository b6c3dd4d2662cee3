import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ProblemDetailsException } from '@rapport/http/problems';
import {
  PROJECTION_REBUILDS,
  RebuildInProgressError,
  UnknownProjectionError,
  type ProjectionRebuilds,
  type RebuildProgress,
} from '@rapport/projector';
import { RebuildProjectionCommand } from './rebuild-projection.command';

@CommandHandler(RebuildProjectionCommand)
export class RebuildProjectionHandler implements ICommandHandler<RebuildProjectionCommand> {
  constructor(@Inject(PROJECTION_REBUILDS) private readonly rebuilds: ProjectionRebuilds) {}

  async execute({ projection, dryRun }: RebuildProjectionCommand): Promise<RebuildProgress> {
    try {
      return this.rebuilds.start(projection, dryRun ? 'dry-run' : 'replay');
    } catch (error) {
      if (error instanceof UnknownProjectionError)
        throw new ProblemDetailsException(
          { title: 'Not found', status: 404, code: error.code, detail: error.message },
          {},
        );
      if (error instanceof RebuildInProgressError)
        throw new ProblemDetailsException(
          { title: 'Conflict', status: 409, code: error.code, detail: error.message },
          {},
        );
      throw error;
    }
  }
}
