import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiAcceptedResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiProblemResponses, Roles, ValidatedQuery } from '@rapport/http';
import { rebuildProgressJson } from '@rapport/projector';
import { RebuildProjectionCommand } from './rebuild-projection.command';
import { RebuildProjectionRequestDto } from './rebuild-projection.request.dto';
import { REBUILD_EXAMPLE } from '../shared/rebuild-example';

@ApiTags('projections')
@Controller('v1/projections')
export class RebuildProjectionHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post(':name/rebuild')
  @Roles('admin')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Rebuild a view blue/green',
    description:
      'Replays every event into a fresh generation of the view, catches up with live, switches the ' +
      'pointer atomically and drops the old generation after a grace period. Queries keep reading ' +
      'the old view until the switch. Progress shows in GET /v1/projections/status. An interrupted ' +
      'rebuild resumes from its own checkpoint when started again. With dryRun=true it builds, ' +
      'compares with the live view and does not switch.',
  })
  @ApiParam({ name: 'name', example: 'customer-view' })
  @ApiAcceptedResponse({
    description: 'Started; the id names it in the status',
    schema: { type: 'object', example: REBUILD_EXAMPLE },
  })
  @ApiProblemResponses(400, 404, 409)
  async rebuild(@Param('name') name: string, @ValidatedQuery() query: RebuildProjectionRequestDto) {
    const progress = await this.commandBus.execute(
      new RebuildProjectionCommand(name, query.isDryRun),
    );
    return rebuildProgressJson(progress);
  }
}
