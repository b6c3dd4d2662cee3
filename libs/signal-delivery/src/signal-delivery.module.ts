import {
  Inject,
  Injectable,
  Logger,
  Module,
  Optional,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { RAPPORT_CONFIG, type RapportConfig } from '@rapport/config';
import { EVENT_STORE, type EventStore } from '@rapport/event-store';
import { INSIGHTS_ENGINE, InsightsModule, type InsightsEngine } from '@rapport/insights';
import { KafkaMessagePublisher } from '@rapport/messaging';
import { PROJECTION_PROGRESS, type ProjectionProgress } from '@rapport/projector';
import {
  READ_STORE,
  VIEW_GENERATIONS,
  type ReadStore,
  type ViewGenerations,
} from '@rapport/read-store';
import type { SqliteSignalLedger } from './ledger/sqlite.signal-ledger';
import { afterProjectorCatchUp } from './publisher/after-projector-catch-up';
import { SignalDelivery } from './publisher/signal-delivery';
import { SIGNAL_FACTS, SignalDerivation } from './publisher/signal-derivation';
import { SignalOutboxPublisher } from './publisher/signal-outbox.publisher';
import { firstEventTime } from './population/first-event-time';
import { PopulationSignalEvaluation } from './population/population-signal-evaluation';
import { SIGNAL_LEDGER, SignalLedgerModule, signalLedgerPath } from './signal-ledger.module';
import { SignalWebhook } from './webhook/signal-webhook';
import { SqliteWebhookLedger } from './webhook/sqlite.webhook-ledger';
import { SignalWebhookMetrics } from './webhook/signal-webhook.metrics';

/** The live projector's checkpoint: signals are derived from facts it has applied. */
const LIVE_CHECKPOINT = 'projector';

@Injectable()
class SignalDeliveryLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('SignalDelivery');
  private delivery: SignalDelivery | undefined;
  private webhookLedger: SqliteWebhookLedger | undefined;

  constructor(
    @Inject(RAPPORT_CONFIG) private readonly config: RapportConfig,
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Inject(VIEW_GENERATIONS) private readonly generations: ViewGenerations,
    @Inject(SIGNAL_LEDGER) private readonly ledger: SqliteSignalLedger,
    @Inject(INSIGHTS_ENGINE) private readonly insights: InsightsEngine,
    private readonly webhookMetrics: SignalWebhookMetrics,
    // Where the projector runs in this process: derivation waits for its first catch-up.
    @Optional() @Inject(PROJECTION_PROGRESS) private readonly progress?: ProjectionProgress,
  ) {}

  onApplicationBootstrap(): void {
    const { signals, kafka } = this.config;
    const factsCollection = () => this.generations.activeCollection(SIGNAL_FACTS);
    const derivation = new SignalDerivation(this.eventStore, this.readStore, this.ledger, {
      rules: signals.rules,
      batchSize: this.config.projector.batchSize,
      factsCollection,
      projectedUpTo: async () => (await this.readStore.getCheckpoint(LIVE_CHECKPOINT)) ?? -1n,
    });
    const publisher = kafka && signals.publish ? new KafkaMessagePublisher(kafka) : undefined;
    const webhook = signals.webhook && this.webhookOf(signals.webhook);
    this.delivery = new SignalDelivery(
      derivation,
      publisher && new SignalOutboxPublisher(this.ledger, publisher, signals.topic),
      publisher,
      {
        idleMs: 200,
        sweepMs: signals.sweepSeconds * 1_000,
        retry: { initialMs: 200, maxMs: 30_000 },
        populationCheckMs: 1_000,
        startWhen: afterProjectorCatchUp(this.progress),
      },
      new PopulationSignalEvaluation(this.ledger, this.readStore, {
        rules: signals.rules,
        windowSeconds: signals.populationWindowSeconds,
        factsCollection,
        eventStore: this.eventStore,
        populationAsOf: (asOf, viewsAsOf) => this.insights.computeWithViews(asOf, viewsAsOf),
        firstEventTime: () => firstEventTime(this.eventStore),
      }),
      webhook,
    );
    this.delivery.start();
    this.logger.log(
      publisher
        ? `deriving signals and publishing them to ${signals.topic}`
        : 'deriving signals into the ledger; publishing is off (KAFKA_BROKERS unset or SIGNALS_PUBLISH=false)',
    );
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.delivery?.stop();
    this.webhookLedger?.close();
  }

  private webhookOf(config: NonNullable<RapportConfig['signals']['webhook']>): SignalWebhook {
    const ledger = new SqliteWebhookLedger(signalLedgerPath(this.config.dataDir), config.start);
    this.webhookLedger = ledger;
    this.webhookMetrics.watch(ledger);
    this.logger.log(
      `delivering signals to the webhook at ${new URL(config.url).origin} ` +
        `(first switched on: ${config.start === 'now' ? 'from now on' : 'every signal not yet expired'})`,
    );
    return new SignalWebhook(
      ledger,
      {
        url: config.url,
        secret: config.secret,
        maxAttempts: config.maxAttempts,
        ratePerSecond: config.ratePerSecond,
        retry: { baseMs: config.retryBaseMs, maxMs: config.retryMaxMs },
        timeoutMs: config.timeoutMs,
      },
      undefined,
      () => this.webhookMetrics.deadLettered(),
    );
  }
}

/** Derives retention signals beside the projector and publishes them (with Kafka configured). */
@Module({
  imports: [SignalLedgerModule, InsightsModule],
  providers: [SignalDeliveryLifecycle, SignalWebhookMetrics],
})
export class SignalDeliveryModule {}
