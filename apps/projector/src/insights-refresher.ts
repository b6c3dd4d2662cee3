import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { RAPPORT_CONFIG, type RapportConfig } from '@rapport/config';
import {
  ChangedCustomersFeed,
  INSIGHTS_ENGINE,
  type InsightsEngine,
  type InsightsSnapshot,
} from '@rapport/insights';
import { PROJECTOR, type Projector } from '@rapport/projector';

/**
 * Soonest a refresh follows the previous one when events were applied meanwhile: the lists
 * are then a few seconds behind the projector at most (a refresh of the demo's 20,000
 * customers takes about 1.5 s, so the gap also leaves the main thread free most of the time).
 */
export const FOLLOW_GAP_MS = 2_000;
/** How often the refresher looks at the projector's position. */
const TICK_MS = 250;

/**
 * Keeps the population-wide insights fresh by following the projector: once it has caught
 * up, then whenever it has applied events since the last refresh, FOLLOW_GAP_MS after that
 * refresh ended (or after as long as it took, if longer: refreshes never take more than half
 * the time), and every INSIGHTS_REFRESH_SECONDS even with no new events, since "as of now"
 * moves on by itself; on demand too. One refresh at a time. INSIGHTS_REFRESH_SECONDS=0
 * computes on demand only.
 *
 * The engine keeps every customer's facts between refreshes. A refresh that follows the
 * projector, or is asked for, reads again only the views the projector wrote since (it reports
 * each batch's customers here) and those whose facts moved on with "now"; the first refresh and
 * the periodic one without new events read every view (catching anything written behind the
 * projector's back, such as a restored read store).
 */
@Injectable()
export class InsightsRefresher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(InsightsRefresher.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<InsightsSnapshot> | undefined;
  /** The refresh that follows the running one, shared by every call made while it runs. */
  private following: Promise<InsightsSnapshot> | undefined;
  private lastPosition = -2n;
  private lastStartedAt = 0;
  private lastEndedAt = 0;
  private lastDurationMs = 0;
  private readonly changed = new ChangedCustomersFeed();

  constructor(
    @Inject(INSIGHTS_ENGINE) private readonly engine: InsightsEngine,
    @Inject(PROJECTOR) private readonly projector: Projector,
    @Inject(RAPPORT_CONFIG) private readonly config: RapportConfig,
  ) {}

  onApplicationBootstrap(): void {
    // Past dates are computed from dated views kept current by what the projector writes.
    this.projector.onApplied((customerIds, position) =>
      this.engine.viewsWritten(customerIds, position),
    );
    const everyMs = this.config.insights.refreshSeconds * 1000;
    if (everyMs === 0) return;
    this.projector.onApplied((customerIds, position) => this.changed.note(customerIds, position));
    this.timer = setInterval(() => void this.tick(), TICK_MS);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
    await this.following?.catch(() => undefined);
  }

  /**
   * Recomputes from the views as they are now. A refresh already running may have read them
   * before the caller's writes, so the caller gets the one that starts after it (calls made
   * meanwhile share that one): "refit now" never answers with an older snapshot.
   */
  refreshNow(): Promise<InsightsSnapshot> {
    return this.refreshAfterRunning(false);
  }

  private refreshAfterRunning(everyView: boolean): Promise<InsightsSnapshot> {
    if (!this.running) return this.start(everyView);
    this.following ??= this.running
      .catch(() => undefined)
      .then(() => {
        this.following = undefined;
        return this.start(everyView);
      });
    return this.following;
  }

  /** Everything changed up to now is read again, whatever comes of this refresh. */
  private start(everyView: boolean): Promise<InsightsSnapshot> {
    const changes = this.changed.take();
    const refresh = this.timer
      ? this.engine.refresh(undefined, { keepFacts: true, ...(everyView ? {} : { changes }) })
      : this.engine.refresh();
    const running = refresh.finally(() => {
      if (this.running === running) this.running = undefined;
    });
    this.running = running;
    return running;
  }

  private async tick(): Promise<void> {
    const status = this.projector.status();
    if (!status.caughtUpOnce || this.running) return;
    const now = Date.now();
    const moved = status.position !== this.lastPosition;
    const rested = now - this.lastEndedAt >= Math.max(FOLLOW_GAP_MS, this.lastDurationMs);
    const periodic = now - this.lastStartedAt >= this.config.insights.refreshSeconds * 1000;
    const first = this.lastStartedAt === 0;
    if (!(first || (moved && rested) || periodic)) return;
    // The position before the refresh reads the views: events applied meanwhile count as new.
    this.lastPosition = status.position;
    this.lastStartedAt = now;
    try {
      // The first, and the periodic one without new events, read every view; others what changed.
      await this.refreshAfterRunning(first || (periodic && !moved));
    } catch (error) {
      this.logger.error(
        `insights refresh failed: ${(error as Error).message}`,
        (error as Error).stack,
      );
    } finally {
      this.lastEndedAt = Date.now();
      this.lastDurationMs = this.lastEndedAt - now;
    }
  }
}
