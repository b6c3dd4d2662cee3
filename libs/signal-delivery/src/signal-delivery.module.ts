import {
  Inject,
  Injectable,
  Logger,
  Module,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { RAPPORT_CONFIG, type RapportConfig } from '@rapport/config';
import { EVENT_STORE, type EventStore } from '@rapport/event-store';
import { KafkaMessagePublisher } from '@rapport/messaging';
import {
  READ_STORE,
  VIEW_GENERATIONS,
  type ReadStore,
  type ViewGenerations,
} from '@rapport/read-store';
import type { SqliteSignalLedger } from './ledger/sqlite.signal-ledger';
import { SignalDelivery } from './publisher/signal-delivery';
import { SIGNAL_FACTS, SignalDerivation } from './publisher/signal-derivation';
import { SignalOutboxPublisher } from './publisher/signal-outbox.publisher';
import { SIGNAL_LEDGER, SignalLedgerModule } from './signal-ledger.module';

/** The live projector's checkpoint: signals are derived from facts it has applied. */
const LIVE_CHECKPOINT = 'projector';

@Injectable()
class SignalDeliveryLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('SignalDelivery');
  private delivery: SignalDelivery | undefined;

  constructor(
    @Inject(RAPPORT_CONFIG) private readonly config: RapportConfig,
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Inject(VIEW_GENERATIONS) private readonly generations: ViewGenerations,
    @Inject(SIGNAL_LEDGER) private readonly ledger: SqliteSignalLedger,
  ) {}

  onApplicationBootstrap(): void {
    const { signals, kafka } = this.config;
    const derivation = new SignalDerivation(this.eventStore, this.readStore, this.ledger, {
      rules: signals.rules,
      batchSize: this.config.projector.batchSize,
      factsCollection: () => this.generations.activeCollection(SIGNAL_FACTS),
      projectedUpTo: async () => (await this.readStore.getCheckpoint(LIVE_CHECKPOINT)) ?? -1n,
    });
    const publisher = kafka && signals.publish ? new KafkaMessagePublisher(kafka) : undefined;
    this.delivery = new SignalDelivery(
      derivation,
      publisher && new SignalOutboxPublisher(this.ledger, publisher, signals.topic),
      publisher,
      {
        idleMs: 200,
        sweepMs: signals.sweepSeconds * 1_000,
        retry: { initialMs: 200, maxMs: 30_000 },
      },
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
  }
}

/** Derives retention signals beside the projector and publishes them (with Kafka configured). */
@Module({ imports: [SignalLedgerModule], providers: [SignalDeliveryLifecycle] })
export class SignalDeliveryModule {}
