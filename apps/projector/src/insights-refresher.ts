import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { RAPPORT_CONFIG, type RapportConfig } from '@rapport/config';
import { INSIGHTS_ENGINE, type InsightsEngine, type InsightsSnapshot } from '@rapport/insights';
import { PROJECTOR, type Projector } from '@rapport/projector';

/**
 * Keeps the population-wide insights fresh: once the projector has caught up, then every
 * INSIGHTS_REFRESH_SECONDS while events keep arriving (and at least hourly, since "as of now"
 * moves on by itself), and on demand. One refresh at a time.
 */
@Injectable()
export class InsightsRefresher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(InsightsRefresher.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<InsightsSnapshot> | undefined;
  private lastPosition = -2n;
  private lastAt = 0;

  constructor(
    @Inject(INSIGHTS_ENGINE) private readonly engine: InsightsEngine,
    @Inject(PROJECTOR) private readonly projector: Projector,
    @Inject(RAPPORT_CONFIG) private readonly config: RapportConfig,
  ) {}

  onApplicationBootstrap(): void {
    const everyMs = this.config.insights.refreshSeconds * 1000;
    if (everyMs === 0) return;
    this.timer = setInterval(() => void this.tick(), Math.min(everyMs, 1000));
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** Recomputes now (or joins the refresh already running). */
  refreshNow(): Promise<InsightsSnapshot> {
    this.running ??= this.engine.refresh().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async tick(): Promise<void> {
    const status = this.projector.status();
    if (!status.caughtUpOnce || this.running) return;
    const now = Date.now();
    const moved = status.position !== this.lastPosition;
    const due = now - this.lastAt >= this.config.insights.refreshSeconds * 1000;
    if (!(this.lastAt === 0 || (moved && due) || now - this.lastAt >= 3_600_000)) return;
    this.lastPosition = status.position;
    this.lastAt = now;
    try {
      await this.refreshNow();
    } catch (error) {
      this.logger.error(
        `insights refresh failed: ${(error as Error).message}`,
        (error as Error).stack,
      );
    }
  }
}
