import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheckService, type HealthCheckResult } from '@nestjs/terminus';
import { Public } from '../auth/roles.decorator';
import { ApiProblemResponses } from '../openapi/api-problem-responses.decorator';
import { serviceUnavailable } from '../problem-details';
import { ReadinessChecks } from './readiness.checks';

const HEALTH_EXAMPLE = {
  status: 'ok',
  info: { eventStore: { status: 'up', headPosition: '41' } },
  error: {},
  details: { eventStore: { status: 'up', headPosition: '41' } },
};

/** Probes for orchestrators: no key needed, no rate limit, no personal data. */
@ApiTags('health')
@Public()
@Controller('health')
export class HealthHttpController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly checks: ReadinessChecks,
  ) {}

  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process answers HTTP' })
  @ApiOkResponse({ schema: { example: { status: 'ok' } } })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiOperation({
    summary: 'Readiness: the stores answer and the in-process projector has caught up once',
  })
  @ApiOkResponse({ schema: { example: HEALTH_EXAMPLE } })
  @ApiProblemResponses(503)
  async ready(): Promise<HealthCheckResult> {
    try {
      return await this.health.check(this.checks.all());
    } catch (error) {
      const details = (error as { response?: { details?: Record<string, unknown> } }).response
        ?.details;
      if (!details) throw error;
      throw serviceUnavailable('not ready: see checks', 'NOT_READY', 5, { checks: details });
    }
  }
}
