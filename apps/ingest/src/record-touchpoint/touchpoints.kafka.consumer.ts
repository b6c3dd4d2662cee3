import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { RAPPORT_CONFIG, type RapportConfig } from '@rapport/config';
import { MESSAGE_CONSUMER, type MessageConsumer } from '@rapport/messaging';
import { TouchpointsKafkaBatchHandler } from './touchpoints.kafka.batch-handler';
import { TouchpointsKafkaMetrics } from './touchpoints.kafka.metrics';

/** The Kafka transport of record-touchpoint: joins the group at start, leaves it at shutdown. */
@Injectable()
export class TouchpointsKafkaConsumer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(TouchpointsKafkaConsumer.name);
  private readonly handler: TouchpointsKafkaBatchHandler;

  constructor(
    @Inject(MESSAGE_CONSUMER) private readonly consumer: MessageConsumer,
    @Inject(RAPPORT_CONFIG) private readonly config: RapportConfig,
    commandBus: CommandBus,
    metrics: TouchpointsKafkaMetrics,
  ) {
    this.handler = new TouchpointsKafkaBatchHandler(commandBus, metrics, config.identity);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.consumer.start((messages) => this.handler.handle(messages));
    const kafka = this.config.kafka!;
    this.logger.log(
      `consuming ${kafka.topic} as group ${kafka.groupId} (dead letters: ${kafka.dlqTopic})`,
    );
  }

  /** Before the event store closes: the batch in flight is appended and committed first. */
  async onModuleDestroy(): Promise<void> {
    await this.consumer.stop();
  }
}
