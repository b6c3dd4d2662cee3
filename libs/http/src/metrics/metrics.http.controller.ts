import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { metricsRegistry } from '@rapport/metrics';
import { Roles } from '../auth/roles.decorator';

/** Read-only and free of personal data, so the least privileged reading role may scrape it. */
@ApiTags('operations')
@Roles('analyst')
@SkipThrottle()
@Controller()
export class MetricsHttpController {
  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @ApiOperation({ summary: 'Prometheus metrics (text exposition format)' })
  @ApiProduces('text/plain')
  @ApiOkResponse({
    content: {
      'text/plain': {
        schema: { type: 'string' },
        example: 'rapport_projection_lag_positions 0\n',
      },
    },
  })
  async metrics(): Promise<string> {
    return metricsRegistry().metrics();
  }
}
