import { Controller, Get, HttpCode, Post, Query as QueryParam } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { badRequest, Roles } from '@rapport/http';
import { parseAsOf } from '../shared/query-params';
import {
  FitChurnModelCommand,
  GetChurnModelQuery,
  type ChurnModelResult,
} from './churn-model.queries';

@ApiTags('model')
@Roles('analyst')
@Controller('v1/model')
export class ChurnModelHttpController {
  constructor(
    private readonly queryBus: QueryBus,
    private readonly commandBus: CommandBus,
  ) {}

  /** The BG/NBD fit the insights currently use: parameters, log-likelihood, customers, time. */
  @Get()
  async current(): Promise<ChurnModelResult> {
    return this.queryBus.execute(new GetChurnModelQuery());
  }

  /** Refit now; with `asOf` (only purchases up to it count) and/or `unit` (days|weeks). */
  @Post('fit')
  @Roles('admin')
  @HttpCode(200)
  async fit(
    @QueryParam('asOf') asOf?: string,
    @QueryParam('unit') unit?: string,
  ): Promise<ChurnModelResult> {
    if (unit !== undefined && unit !== 'days' && unit !== 'weeks') {
      throw badRequest('invalid query parameters', [
        { path: 'unit', message: 'unit must be days or weeks' },
      ]);
    }
    return this.commandBus.execute(
      new FitChurnModelCommand(asOf ? parseAsOf(asOf) : undefined, unit),
    );
  }
}
