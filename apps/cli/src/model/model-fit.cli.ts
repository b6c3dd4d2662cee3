import { Command, Option } from 'commander';
import type { CliStores } from '../shared/cli-stores';
import { asOfOption } from '../shared/options';
import { formatModelFit } from './model-fit.format';
import { periodStartOption } from './period-start.option';

interface ModelFitOptions {
  readonly asOf?: string;
  readonly unit: 'days' | 'weeks';
  readonly json?: boolean;
  readonly holdoutFrom?: string;
}

/** `rapport model fit`: refit the BG/NBD churn model now and print what came out. */
export function modelCommand(): Command {
  const model = new Command('model').description('the churn model (BG/NBD)');
  model
    .command('fit')
    .description(
      'refit the churn model now and print its parameters, log-likelihood and the number of ' +
        'customers it saw. Without --as-of/--unit (and with REDIS_URL) the refit also becomes ' +
        "the platform's current insights; with the embedded in-memory views, the views are " +
        'first replayed from the event store into this process',
    )
    .option(
      '--as-of <date>',
      'only purchases up to this instant count; a date YYYY-MM-DD means through the end of that ' +
        'UTC day, so purchases made on it count (default: now)',
      asOfOption,
    )
    .option(
      '--holdout-from <date>',
      'fit on the calibration period before this instant (a date YYYY-MM-DD: the start of that UTC ' +
        'day) and print actual vs predicted repeat transactions in the holdout, from it up to --as-of, ' +
        'per number of calibration repeat transactions (0 … 7+); GET /v1/model shows the table too',
      periodStartOption,
    )
    .addOption(
      new Option('--unit <unit>', 'time unit of the fit')
        .choices(['days', 'weeks'])
        .default('weeks'),
    )
    .option('--json', 'print JSON')
    .action(async (options: ModelFitOptions) => {
      const { createInsightsEngine } = await import('../shared/lib/insights.lib');
      const { requireBoundViews, withStores } = await import('../shared/cli-stores');
      await withStores(async (stores) => {
        if (stores.config.readStore.kind === 'memory') await replayIntoMemory(stores);
        else await requireBoundViews(stores);
        const engine = createInsightsEngine(stores.readStore, stores.config, stores.generations);
        const asOf = options.asOf ?? new Date().toISOString();
        const started = performance.now();
        const shared = stores.config.readStore.kind !== 'memory';
        const current =
          shared &&
          !options.asOf &&
          !options.holdoutFrom &&
          options.unit === stores.config.insights.modelUnit;
        // With shared views and the platform's own settings, the refit is saved as current.
        const result = await (
          current
            ? engine.refresh(asOf).then((s) => ({
                asOf,
                unit: options.unit,
                fit: s.model.fit,
                customers: s.model.fit?.customers ?? s.customers,
                ...(s.fitNote ? { note: s.fitNote } : {}),
                spendFit: s.model.value?.spendFit ?? null,
                ...(s.model.value?.spendFitNote ? { spendNote: s.model.value.spendFitNote } : {}),
                saved: true,
              }))
            : engine
                .fitModels(asOf, options.unit, options.holdoutFrom)
                .then((f) => ({ ...f, saved: false }))
        ).finally(() => engine.close());
        const seconds = (performance.now() - started) / 1000;
        if (options.json) {
          process.stdout.write(JSON.stringify(result, null, 2) + '\n');
          return;
        }
        process.stdout.write(formatModelFit(result, seconds, stores.config.insights.currency));
      });
    });
  return model;
}

/** The embedded default keeps views in the platform's memory: build them here from the events. */
export async function replayIntoMemory(stores: CliStores): Promise<void> {
  const { PROJECTIONS, Projector } = await import('../shared/lib/projector.lib');
  const { customerViewProjection } = await import('../shared/lib/projections.lib');
  const { progressBar } = await import('../shared/progress-bar');
  const head = await stores.eventStore.headPosition();
  const projector = new Projector(
    stores.eventStore,
    stores.readStore,
    PROJECTIONS.filter((p) => p.name === customerViewProjection.name),
    { name: 'cli', batchSize: 5_000, maxBatchDelayMs: 0 },
  );
  const bar = progressBar('building views', 'positions');
  bar.start(Number(head) + 1, 0, { rate: 0 });
  const started = performance.now();
  let position = -1n;
  for (;;) {
    const events = await stores.eventStore.readAll({ after: position, maxCount: 5_000 });
    if (events.length === 0) break;
    await projector.applyBatch(events);
    position = events[events.length - 1].position;
    const seconds = (performance.now() - started) / 1000;
    bar.update(Number(position) + 1, {
      rate: Math.round(Number(position + 1n) / Math.max(seconds, 0.001)),
    });
  }
  bar.stop();
}
