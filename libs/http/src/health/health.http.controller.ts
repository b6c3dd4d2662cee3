import { Controller, Get, Logger } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheckService, type HealthCheckResult } from '@nestjs/terminus';
import { Public } from '../auth/roles.decorator';
import { ApiProblemResponses } from '../openapi/api-problem-responses.decorator';
import { serviceUnavailable } from '../problem-details';
import { ReadinessChecks } from './readiness.checks';

/** Every check is up, but some views are stale: customers parked on an event. */
export type ReadinessResult = Omit<HealthCheckResult, 'status'> & { status: 'ok' | 'degraded' };

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
  /** The degraded checks last logged, the same way. */
  private degraded = '';

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
    description:
      'status "degraded" (still 200): the projector parked customers whose events it could not ' +
      'apply; their views are stale, every other view is current.',
  })
  @ApiOkResponse({ schema: { example: HEALTH_EXAMPLE } })
  @ApiProblemResponses(503)
  async ready(): Promise<ReadinessResult> {
    try {
      const result = await this.health.check(this.checks.all());
      if (this.notReady) this.logger.log(`ready again (was: ${this.notReady})`);
      this.notReady = '';
      const degraded = describeDegraded(result.details as Record<string, CheckDetail>);
      if (degraded !== this.degraded)
        if (degraded) this.logger.warn(`degraded: ${degraded}`);
        else this.logger.log(`no longer degraded (was: ${this.degraded})`);
      this.degraded = degraded;
      return { ...result, status: degraded ? 'degraded' : 'ok' };
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
  readonly parkedCustomers?: number;
}

/** "projector (2 customers parked: …)", or '' when nothing is parked. */
function describeDegraded(details: Record<string, CheckDetail>): string {
  return Object.entries(details)
    .filter(([, detail]) => (detail.parkedCustomers ?? 0) > 0)
    .map(([name, detail]) => `${name} (${detail.message ?? `${detail.parkedCustomers} parked`})`)
    .join(', ');
}

/** "readStore (no answer within 2000 ms), projector (still catching up …)". */
function describeFailing(details: Record<string, CheckDetail>): string {
  return Object.entries(details)
    .filter(([, detail]) => detail.status !== 'up')
    .map(([name, detail]) => (detail.message ? `${name} (${detail.message})` : name))
    .join(', ');
}
