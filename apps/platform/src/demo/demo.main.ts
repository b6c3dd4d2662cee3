import { randomBytes } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { loadConfig } from '@rapport/config';
import {
  generateDemoHistory,
  generateIdentityStories,
  identityStoryExamples,
} from '@rapport/demo-data';
import { EVENT_STORE, type EventStore } from '@rapport/event-store';
import { createHttpApp, serveDashboard } from '@rapport/http';
import { INSIGHTS_REFRESH, type InsightsRefresh } from '@rapport/insights';
import { PROJECTOR, type Projector } from '@rapport/projector';
import { Presets, SingleBar } from 'cli-progress';
import { TouchpointImporter } from '@rapport/recording';
import { startOfTodayUtc } from '../../../cli/src';
import { PlatformModule } from '../platform.module';
import { identityCurlExamples } from './identity-curl-examples';

/**
 * `npm run demo`: the platform on the embedded defaults with a demo history loaded through the
 * write path (then the identity stories: DEMO_IDENTITY_PEOPLE, DEMO_SHARED_DEVICES), insights
 * refitted, and the URLs to open. DEMO_CUSTOMERS, DEMO_MONTHS, DEMO_SEED
 * change the history; DATA_DIR (default ./data/demo) keeps it between runs (an existing store
 * is not loaded again); DEMO_EXIT=1 stops after printing (timing, CI).
 */
async function main(): Promise<void> {
  const customers = Number(process.env.DEMO_CUSTOMERS ?? 20_000);
  const months = Number(process.env.DEMO_MONTHS ?? 24);
  const seed = Number(process.env.DEMO_SEED ?? 1);
  // People identity resolution must stitch, and family tablets whose second login it must refuse.
  const stories = {
    people: Number(process.env.DEMO_IDENTITY_PEOPLE ?? 300),
    sharedDevices: Number(process.env.DEMO_SHARED_DEVICES ?? 5),
    seed,
    endAt: startOfTodayUtc(),
  };
  const adminKey = process.env.DEMO_ADMIN_KEY ?? `demo-admin-${randomBytes(12).toString('hex')}`;
  const config = loadConfig({
    ...process.env,
    DATA_DIR: process.env.DATA_DIR ?? './data/demo',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    RAPPORT_API_KEYS: `${adminKey}:admin`,
    // The demo refits once the history is in; no periodic refit racing the load.
    INSIGHTS_REFRESH_SECONDS: process.env.INSIGHTS_REFRESH_SECONDS ?? '0',
  });
  const started = performance.now();
  const say = (text: string) => process.stderr.write(`${text}\n`);
  const elapsed = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;

  const app = await createHttpApp(PlatformModule.forRoot(config), config);
  await serveDashboard(app);
  await app.listen(config.port, config.host);
  const eventStore = app.get<EventStore>(EVENT_STORE);
  const projector = app.get<Projector>(PROJECTOR);
  say(
    `platform up on port ${config.port} (events: ${config.eventStore.kind} in ${config.dataDir}) [${elapsed()}]`,
  );

  if ((await eventStore.headPosition()) < 0n) {
    const bar = new SingleBar(
      {
        format:
          'loading demo data |{bar}| {percentage}% | {value}/{total} customers | {rate} touchpoints/s | ETA {eta_formatted}',
        stream: process.stderr,
        hideCursor: true,
        noTTYOutput: true,
        notTTYSchedule: 2_000,
      },
      Presets.shades_classic,
    );
    const importer = new TouchpointImporter(app.get(CommandBus), {
      batchSize: 5_000,
      onRejected: (r) => say(`rejected: ${JSON.stringify(r)}`),
    });
    bar.start(customers, 0, { rate: 0 });
    const loadStarted = performance.now();
    let count = 0;
    let customer = '';
    let done = 0;
    for (const touchpoint of generateDemoHistory({
      customers,
      months,
      seed,
      endAt: startOfTodayUtc(),
    })) {
      if (touchpoint.customerId !== customer) {
        customer = touchpoint.customerId;
        done += 1;
      }
      await importer.add({ line: ++count, touchpoint });
      if (count % 5_000 === 0) {
        const seconds = (performance.now() - loadStarted) / 1000;
        bar.update(done, { rate: Math.round(count / seconds) });
      }
    }
    for (const touchpoint of generateIdentityStories(stories))
      await importer.add({ line: ++count, touchpoint });
    await importer.flush();
    bar.update(done);
    bar.stop();
    say(
      `recorded ${importer.totals.recorded} touchpoints of ${customers} customers [${elapsed()}]`,
    );
  } else {
    say(`the store in ${config.dataDir} has events already: not loading again`);
  }

  const head = await eventStore.headPosition();
  while (!(await projector.waitFor(head, 5_000)))
    say(`projector at ${projector.position} of ${head}…`);
  say(`views caught up at position ${head} [${elapsed()}]`);
  const snapshot = await app.get<InsightsRefresh>(INSIGHTS_REFRESH).refreshNow();
  const fit = snapshot.model.fit;
  say(
    `insights refitted: ${snapshot.customers} customers, Gini ${snapshot.tiers.gini.toFixed(3)}` +
      (fit ? `, BG/NBD log-likelihood ${fit.logLikelihood.toFixed(1)}` : '') +
      ` [${elapsed()}]`,
  );

  const base = `http://localhost:${config.port}`;
  const someone = snapshot.rows.at(0)?.customerId ?? 'C-000001';
  process.stdout.write(
    [
      '',
      `Rapport demo is ready (${elapsed()}). Send the admin key with every request:`,
      `  Authorization: Bearer ${adminKey}`,
      '',
      `  dashboard         ${base}/ (asks for the key once)`,
      `  API docs          ${base}/docs`,
      `  a customer        ${base}/v1/customers/${someone}`,
      `  tier summary      ${base}/v1/tiers`,
      `  at-risk list      ${base}/v1/at-risk`,
      `  projection status ${base}/v1/projections/status`,
      '',
      `  curl -H 'Authorization: Bearer ${adminKey}' ${base}/v1/tiers`,
      '',
      'Identity (the stitched profiles, a refused merge, merge and undo by hand):',
      ...identityCurlExamples(identityStoryExamples(stories), base, adminKey),
      '',
    ].join('\n'),
  );
  if (process.env.DEMO_EXIT === '1') {
    await app.close();
    return;
  }
  say('Ctrl-C to stop.');
  const stop = () => void app.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  new Logger('Demo').error(error instanceof Error ? error.stack : String(error));
  process.exit(1);
});
