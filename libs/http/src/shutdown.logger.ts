import {
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationShutdown,
} from '@nestjs/common';

/**
 * Says when a service starts to stop and when it has stopped: an operator reading the logs
 * after a deploy or a crash loop can tell a clean stop (both lines) from a kill (neither).
 */
@Injectable()
export class ShutdownLogger implements BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger('Shutdown');
  private startedAt: number | undefined;

  beforeApplicationShutdown(signal?: string): void {
    this.startedAt = performance.now();
    this.logger.log(
      `stopping${signal ? ` on ${signal}` : ''}: finishing work in flight, then closing the stores`,
    );
  }

  onApplicationShutdown(signal?: string): void {
    const ms = Math.round(performance.now() - (this.startedAt ?? performance.now()));
    this.logger.log(`stopped${signal ? ` on ${signal}` : ''} in ${ms} ms`);
  }
}
