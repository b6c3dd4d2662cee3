import { ConfigError, loadConfig } from './rapport.config';

describe('configuration', () => {
  it('runs on the embedded defaults with an empty environment', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      eventStore: { kind: 'sqlite', path: expect.stringMatching(/data\/events\.db$/) },
      readStore: { kind: 'memory' },
      ingest: { maxBatch: 1000 },
    });
    expect(config.kafka).toBeUndefined();
  });

  it('picks the scale-out adapters from their addresses', () => {
    const config = loadConfig({
      EVENTSTORE_URL: 'esdb://eventstore:2113?tls=false',
      REDIS_URL: 'redis://redis:6379',
      KAFKA_BROKERS: 'kafka-1:9092, kafka-2:9092',
      DATA_DIR: '/var/lib/rapport',
    });
    expect(config).toMatchObject({
      dataDir: '/var/lib/rapport',
      eventStore: { kind: 'eventstoredb', url: 'esdb://eventstore:2113?tls=false' },
      readStore: { kind: 'redis', url: 'redis://redis:6379' },
      kafka: { brokers: ['kafka-1:9092', 'kafka-2:9092'] },
    });
  });

  it('reports every bad variable at once, by name', () => {
    expect(() =>
      loadConfig({
        PORT: 'eighty',
        REDIS_URL: 'http://x',
        KAFKA_BROKERS: 'nohost',
        LOG_LEVEL: 'loud',
      }),
    ).toThrow(
      expect.objectContaining({
        problems: [
          'PORT must be an integer from 0 to 65535 (got "eighty")',
          'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent',
          'REDIS_URL must use redis: or rediss: (got "http:")',
          'KAFKA_BROKERS must be host:port[,host:port…] (bad: nohost)',
        ],
      }) as unknown as ConfigError,
    );
  });
});
