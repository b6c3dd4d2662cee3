import { Controller, Get, Logger } from '@nestjs/common';
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
@Controller('health')
export class HealthHttpController {
  private readonly logger = new Logger('Readiness');
  /** The failing checks last logged: a line when they change, not one for every probe. */
  private notReady = '';

  constructor(
    private readonly health: HealthCheckService,
    private readonly checks: ReadinessChecks,
  ) {}

  @Get('live')
  @Public()
  @ApiOperation({ summary: 'Liveness: the process answers HTTP' })
  @ApiOkResponse({ schema: { example: { status: 'ok' } } })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @Public()
  @ApiOperation({
    summary: 'Readiness: the stores answer and the in-process projector has caught up once',
  })
  @ApiOkResponse({ schema: { example: HEALTH_EXAMPLE } })
  @ApiProblemResponses(503)
  async ready(): Promise<HealthCheckResult> {
    try {
      const result = await this.health.check(this.checks.all());
      if (this.notReady) this.logger.log(`ready again (was: ${this.notReady})`);
      this.notReady = '';
      return result;
    } catch (error) {
      const details = (error as { response?: { details?: Record<string, CheckDetail> } }).response
        ?.details;
      if (!details) throw error;
      const failing = describeFailing(details);
      if (failing !== this.notReady) this.logger.warn(`not ready: ${failing}`);
      this.notReady = failing;
      throw serviceUnavailable(`not ready: ${failing}`, 'NOT_READY', 5, { checks: details });
    }
  }
}

interface CheckDetail {
  readonly status: string;
  readonly message?: string;
}

/** "readStore (no answer within 2000 ms), projector (still catching up …)". */
function describeFailing(details: Record<string, CheckDetail>): string {
  return Object.entries(details)
    .filter(([, detail]) => detail.status !== 'up')
    .map(([name, detail]) => (detail.message ? `${name} (${detail.message})` : name))
    .join(', ');
}
