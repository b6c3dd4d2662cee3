import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { InsightsModule } from '@rapport/insights';
import { ApiKeyGuard } from './auth/api-key.guard';
import { apiKeyAuthenticatorProvider } from './auth/api-key.provider';
import { CallerHttpController } from './auth/caller.http.controller';
import { HealthHttpController } from './health/health.http.controller';
import { ReadinessChecks } from './health/readiness.checks';
import { MetricsModule } from './metrics/metrics.module';
import { ReadStoreMetrics } from './metrics/read-store.metrics';
import { StoreBindingMetrics } from './metrics/store-binding.metrics';
import { ApiKeyThrottlerGuard } from './rate-limit/api-key.throttler.guard';
import { rateLimitModule } from './rate-limit/rate-limit.module';
import { UnauthenticatedRateLimit } from './rate-limit/unauthenticated.rate-limit';
import { ReadYourWritesGuard } from './read-your-writes/read-your-writes.guard';
import { StoreBindingGuard } from './store-binding/store-binding.guard';

/**
 * What every Rapport HTTP app shares behind its routes: API keys with roles, rate limits,
 * read-your-writes, reads held back while the read store belongs to another event store,
 * /health/* and /metrics. Guard order matters: the key is known before the
 * rate limit counts it, and a read waits for its position only after both. Needs the config
 * and the event store; uses the read store and PROJECTION_PROGRESS where the app has them.
 */
@Module({
  imports: [TerminusModule.forRoot({ logger: false }), rateLimitModule, MetricsModule],
  controllers: [HealthHttpController, CallerHttpController],
  providers: [
    apiKeyAuthenticatorProvider,
    ReadinessChecks,
    UnauthenticatedRateLimit,
    ReadStoreMetrics,
    StoreBindingMetrics,
    { provide: APP_GUARD, useClass: ApiKeyGuard },
    { provide: APP_GUARD, useClass: ApiKeyThrottlerGuard },
    { provide: APP_GUARD, useClass: StoreBindingGuard },
    { provide: APP_GUARD, useClass: ReadYourWritesGuard },
  ],
})
export class HttpEdgeModule {
  /** The edge of an app that answers insights: ready only once their first snapshot is there. */
  static withInsights(): DynamicModule {
    return { module: HttpEdgeModule, imports: [InsightsModule] };
  }
}
