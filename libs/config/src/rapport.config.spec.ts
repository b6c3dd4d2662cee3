import { ConfigError, loadConfig } from './rapport.config';

describe('configuration', () => {
  it('runs on the embedded defaults with an empty environment', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      eventStore: {
        kind: 'sqlite',
        path: expect.stringMatching(/data\/events\.db$/),
        writer: 'thread',
      },
      readStore: { kind: 'memory', coldAfterMs: 30_000 },
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

  it('writes SQLite appends inline when SQLITE_WRITER says so, and names a bad value', () => {
    expect(loadConfig({ SQLITE_WRITER: 'inline' }).eventStore).toMatchObject({ writer: 'inline' });
    expect(() => loadConfig({ SQLITE_WRITER: 'async' })).toThrow(
      expect.objectContaining({
        problems: ['SQLITE_WRITER must be one of thread, inline (got "async")'],
      }) as unknown as ConfigError,
    );
  });

  it('refuses a read store of another event store unless READ_STORE_MISMATCH says rebuild', () => {
    expect(loadConfig({}).readStoreMismatch).toBe('refuse');
    expect(loadConfig({ READ_STORE_MISMATCH: 'rebuild' }).readStoreMismatch).toBe('rebuild');
    expect(() => loadConfig({ READ_STORE_MISMATCH: 'ignore' })).toThrow(
      expect.objectContaining({
        problems: ['READ_STORE_MISMATCH must be one of refuse, rebuild (got "ignore")'],
      }) as unknown as ConfigError,
    );
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

  describe('when Kafka is configured', () => {
    it('defaults everything but the brokers to safe values', () => {
      expect(loadConfig({ KAFKA_BROKERS: 'k:9092' }).kafka).toEqual({
        brokers: ['k:9092'],
        clientId: 'rapport',
        groupId: 'rapport-ingest',
        topic: 'touchpoints',
        dlqTopic: 'touchpoints.dlq',
        ssl: false,
        fromBeginning: true,
        batch: {
          maxBytesPerPartition: 1024 * 1024,
          maxBytes: 10 * 1024 * 1024,
          maxWaitMs: 500,
          partitionsConcurrently: 4,
        },
        sessionTimeoutMs: 30_000,
        heartbeatIntervalMs: 3_000,
        retry: { attemptsBeforePause: 3, initialBackoffMs: 200, maxBackoffMs: 30_000 },
      });
    });

    it('reads names, security and limits from the environment', () => {
      const kafka = loadConfig({
        KAFKA_BROKERS: 'k1:9093,k2:9093',
        KAFKA_CLIENT_ID: 'ingest-7',
        KAFKA_GROUP_ID: 'rapport-eu',
        KAFKA_TOPIC: 'crm.touchpoints',
        KAFKA_SSL: 'true',
        KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512',
        KAFKA_SASL_USERNAME: 'rapport',
        KAFKA_SASL_PASSWORD: 's3cret',
        KAFKA_FROM_BEGINNING: 'false',
        KAFKA_MAX_BYTES_PER_PARTITION: '262144',
        KAFKA_RETRY_MAX_MS: '5000',
      }).kafka;
      expect(kafka).toMatchObject({
        clientId: 'ingest-7',
        groupId: 'rapport-eu',
        topic: 'crm.touchpoints',
        dlqTopic: 'crm.touchpoints.dlq',
        ssl: true,
        sasl: { mechanism: 'scram-sha-512', username: 'rapport', password: 's3cret' },
        fromBeginning: false,
        batch: { maxBytesPerPartition: 262144 },
        retry: { maxBackoffMs: 5000 },
      });
    });

    it('refuses inconsistent settings with every problem named', () => {
      expect(() =>
        loadConfig({
          KAFKA_BROKERS: 'k:9092',
          KAFKA_TOPIC: 'touch points',
          KAFKA_DLQ_TOPIC: 'touchpoints',
          KAFKA_SSL: 'yes',
          KAFKA_SASL_MECHANISM: 'gssapi',
          KAFKA_HEARTBEAT_INTERVAL_MS: '40000',
          KAFKA_RETRY_INITIAL_MS: '1000',
          KAFKA_RETRY_MAX_MS: '10',
        }),
      ).toThrow(
        expect.objectContaining({
          problems: expect.arrayContaining([
            'KAFKA_TOPIC must be 1–249 of A–Z a–z 0–9 . _ - (got "touch points")',
            'KAFKA_HEARTBEAT_INTERVAL_MS must be below KAFKA_SESSION_TIMEOUT_MS',
            'KAFKA_RETRY_MAX_MS must be at least KAFKA_RETRY_INITIAL_MS',
            'KAFKA_SSL must be true or false (got "yes")',
            'KAFKA_SASL_MECHANISM must be one of plain, scram-sha-256, scram-sha-512',
          ]),
        }) as unknown as ConfigError,
      );
      expect(() => loadConfig({ KAFKA_BROKERS: 'k:9092', KAFKA_SASL_MECHANISM: 'plain' })).toThrow(
        /KAFKA_SASL_MECHANISM=plain needs KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD/,
      );
    });

    it('refuses Kafka settings without brokers rather than ignoring them', () => {
      expect(() => loadConfig({ KAFKA_TOPIC: 'touchpoints', KAFKA_GROUP_ID: 'g' })).toThrow(
        /KAFKA_GROUP_ID, KAFKA_TOPIC set but KAFKA_BROKERS is not/,
      );
    });
  });
});
