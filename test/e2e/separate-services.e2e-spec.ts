import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { loadConfig, type RapportConfig } from '@rapport/config';
import { PROJECTION_PROGRESS, type ProjectionProgress } from '@rapport/projector';
import { createHttpApp } from '@rapport/http';
import {
  deleteRedisNamespace,
  describeIfAvailable,
  eventually,
  redisAvailability,
  TEST_API_KEYS,
  uniqueRedisKeyPrefix,
} from '@rapport/test-support';
import { IngestAppModule } from '../../apps/ingest/src/ingest.app.module';
import { ProjectorAppModule } from '../../apps/projector/src/projector.app.module';
import { QueryApiAppModule } from '../../apps/query-api/src/query-api.app.module';

const auth = (role: keyof typeof TEST_API_KEYS) => ({
  Authorization: `Bearer ${TEST_API_KEYS[role]}`,
});

/**
 * Ingest, projector and query API as the separate services of `docker compose up`, each built
 * from its own app module (as its main.ts does) over one event store and one Redis read store.
 * Each module imports what it uses (no global projector or insights module), so this is where
 * a missing import would show.
 */
describeIfAvailable('the apps as separate services', redisAvailability(), (redisUrl) => {
  const prefix = uniqueRedisKeyPrefix('services-e2e');
  const dir = mkdtempSync(join(tmpdir(), 'rapport-services-e2e-'));
  let config: RapportConfig;
  let ingest: NestFastifyApplication;
  let projector: INestApplicationContext;
  let queryApi: NestFastifyApplication;

  const listening = async (app: NestFastifyApplication) => {
    await app.listen(0, '127.0.0.1');
    return app.getHttpServer();
  };

  beforeAll(async () => {
    config = loadConfig({
      LOG_LEVEL: 'silent',
      DATA_DIR: dir,
      REDIS_URL: redisUrl,
      REDIS_KEY_PREFIX: prefix,
      RAPPORT_API_KEYS: Object.entries(TEST_API_KEYS)
        .map(([role, key]) => `${key}:${role}`)
        .join(','),
      RATE_LIMIT_REQUESTS: '0',
      RATE_LIMIT_UNAUTHENTICATED_REQUESTS: '0',
      INSIGHTS_REFRESH_SECONDS: '0',
    });
    ingest = await createHttpApp(IngestAppModule.forRoot(config), config);
    await listening(ingest);
    projector = await NestFactory.createApplicationContext(ProjectorAppModule.forRoot(config), {
      logger: false,
    });
    queryApi = await createHttpApp(QueryApiAppModule.forRoot(config), config);
    await listening(queryApi);
  }, 120_000);

  afterAll(async () => {
    for (const app of [queryApi, projector, ingest]) await app?.close();
    await deleteRedisNamespace(redisUrl, prefix);
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('a write to ingest is read back from the query API at the position it answered', async () => {
    const write = await request(ingest.getHttpServer())
      .post('/v1/touchpoints')
      .set(auth('ingest'))
      .send({
        touchpointId: 'pos-1',
        source: 'pos',
        customerId: 'C-sep-1',
        type: 'purchase',
        occurredAt: '2026-11-20T14:03:00Z',
        channel: 'store',
        data: { orderId: 'O-1', amount: { minor: 4999, currency: 'EUR' } },
      })
      .expect(202);
    const position = write.headers['x-position'] as string;

    const view = await request(queryApi.getHttpServer())
      .get('/v1/customers/C-sep-1')
      .set(auth('analyst'))
      .set('X-Min-Position', position)
      .expect(200);
    expect(view.body).toMatchObject({ customerId: 'C-sep-1' });
  });

  it('the projector service reports its own catch-up, which signal derivation waits for', async () => {
    const progress = projector.get<ProjectionProgress>(PROJECTION_PROGRESS);
    await eventually(async () => expect(progress.caughtUpOnce()).toBe(true), 60_000);
  });

  it('the query API measures the lag from the projector checkpoint, and is ready once refitted', async () => {
    const metrics = await request(queryApi.getHttpServer())
      .get('/metrics')
      .set(auth('analyst'))
      .expect(200);
    expect(metrics.text).toMatch(/^rapport_projection_lag_positions \d+$/m);
    // The in-process projector's gauge: the projector runs elsewhere here.
    expect(metrics.text).not.toContain('rapport_projector_parked_customers');

    await request(queryApi.getHttpServer()).post('/v1/model/fit').set(auth('admin')).expect(200);
    await eventually(() => request(queryApi.getHttpServer()).get('/health/ready').expect(200));
    const ready = await request(queryApi.getHttpServer()).get('/health/ready');
    expect(Object.keys(ready.body.details)).toEqual(expect.arrayContaining(['insights']));
  });
});
