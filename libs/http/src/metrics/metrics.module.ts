import { Module } from '@nestjs/common';
import { MetricsHttpController } from './metrics.http.controller';

/** Prometheus metrics at GET /metrics. */
@Module({ controllers: [MetricsHttpController] })
export class MetricsModule {}
