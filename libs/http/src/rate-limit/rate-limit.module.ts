import { ThrottlerModule } from '@nestjs/throttler';
import { RAPPORT_CONFIG, type RapportConfig } from '@rapport/config';

/** RATE_LIMIT_REQUESTS per RATE_LIMIT_WINDOW_SECONDS; 0 requests switches the limit off. */
export const rateLimitModule = ThrottlerModule.forRootAsync({
  inject: [RAPPORT_CONFIG],
  useFactory: (config: RapportConfig) => {
    const { limit, windowSeconds } = config.http.rateLimit;
    return {
      throttlers: [{ name: 'default', limit: Math.max(limit, 1), ttl: windowSeconds * 1000 }],
      skipIf: () => limit === 0,
    };
  },
});
