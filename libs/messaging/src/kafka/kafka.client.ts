import { Logger } from '@nestjs/common';
import { Kafka, logLevel, type LogEntry, type SASLOptions } from 'kafkajs';
import type { KafkaConfig } from '@rapport/config';

export type KafkaConnection = Pick<KafkaConfig, 'brokers' | 'clientId' | 'ssl' | 'sasl'>;

/**
 * Who holds the client: a service rides out a broker's absence (kafkajs retries, warnings
 * logged); an operator's one-shot tool (the CLI's dead-letter commands) should say at once
 * that the broker cannot be reached, in one line, not after ten seconds of retry logs.
 */
export type KafkaClientUse = 'service' | 'tool';

/** The one place a kafkajs client is built: brokers, TLS and SASL from the validated config. */
export function createKafkaClient(
  connection: KafkaConnection,
  use: KafkaClientUse = 'service',
): Kafka {
  return new Kafka({
    brokers: [...connection.brokers],
    clientId: connection.clientId,
    ssl: connection.ssl,
    ...(connection.sasl ? { sasl: toSasl(connection.sasl) } : {}),
    ...(use === 'tool'
      ? {
          logLevel: logLevel.NOTHING,
          connectionTimeout: 3_000,
          retry: { retries: 1, initialRetryTime: 300, maxRetryTime: 1_000 },
        }
      : { logLevel: logLevel.WARN }),
    logCreator: nestLogCreator,
  });
}

/** Connects `client`, or fails with an error that names the brokers and what to check. */
export async function connectOrExplain(
  client: { connect(): Promise<void> },
  connection: Pick<KafkaConnection, 'brokers'>,
): Promise<void> {
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `cannot reach Kafka at ${connection.brokers.join(',')} (${(error as Error).message}): ` +
        'check KAFKA_BROKERS and that the broker is up',
      { cause: error },
    );
  }
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
