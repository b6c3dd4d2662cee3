import { Logger } from '@nestjs/common';
import { Kafka, logLevel, type LogEntry, type SASLOptions } from 'kafkajs';
import type { KafkaConfig } from '@rapport/config';

export type KafkaConnection = Pick<KafkaConfig, 'brokers' | 'clientId' | 'ssl' | 'sasl'>;

/** The one place a kafkajs client is built: brokers, TLS and SASL from the validated config. */
export function createKafkaClient(connection: KafkaConnection): Kafka {
  return new Kafka({
    brokers: [...connection.brokers],
    clientId: connection.clientId,
    ssl: connection.ssl,
    ...(connection.sasl ? { sasl: toSasl(connection.sasl) } : {}),
    logLevel: logLevel.WARN,
    logCreator: nestLogCreator,
  });
}

function toSasl(sasl: NonNullable<KafkaConnection['sasl']>): SASLOptions {
  const { mechanism, username, password } = sasl;
  switch (mechanism) {
    case 'plain':
      return { mechanism, username, password };
    case 'scram-sha-256':
      return { mechanism, username, password };
    case 'scram-sha-512':
      return { mechanism, username, password };
  }
}

/** kafkajs logs through the app's logger (pino in the apps), never straight to stdout. */
function nestLogCreator() {
  const logger = new Logger('kafkajs');
  return ({ level, log }: LogEntry) => {
    const { message, ...extra } = log;
    const text = `${message} ${JSON.stringify(extra)}`;
    if (level <= logLevel.ERROR) logger.error(text);
    else if (level === logLevel.WARN) logger.warn(text);
    else logger.debug(text);
  };
}
