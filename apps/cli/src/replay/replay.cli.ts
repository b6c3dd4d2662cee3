import { Command } from 'commander';
import { EXIT } from '../shared/exit-codes';
import { integerOption } from '../shared/options';

interface ReplayOptions {
  readonly projection: string;
  readonly dryRun?: boolean;
  readonly batchSize?: number;
  readonly graceMs: number;
}

/** `rapport replay --projection <name|all>`: blue/green rebuild of views in the shared store. */
export function replayCommand(): Command {
  return new Command('replay')
    .description(
      'rebuild a view blue/green: replay every event into a fresh generation, catch up to live, ' +
        'switch the pointer atomically, drop the old generation. Interrupted, it resumes from ' +
        'its own checkpoint when run again.',
    )
    .requiredOption(
      '-p, --projection <name|all>',
      'projection to rebuild (e.g. customer-view), or all',
    )
    .option('--dry-run', 'build and compare with the live view, without switching')
    .option(
      '--batch-size <n>',
      'events per read and write (default: PROJECTOR_CATCH_UP_BATCH_SIZE, 500000)',
      integerOption(1, 1_000_000),
    )
    .option(
      '--grace-ms <ms>',
      'how long the old generation stays readable after the switch',
      integerOption(0, 3_600_000),
      3_000,
    )
    .addHelpText(
      'after',
      '\nNeeds REDIS_URL (views shared with the running platform). With the embedded in-memory\n' +
        'views, rebuild through the platform: POST /v1/projections/<name>/rebuild (admin key).',
    )
    .action(async (options: ReplayOptions) => {
      // Loaded on use: `rapport --help` and the other commands start without them.
      const { describeComparison, describeProgress, projectionsNamed, runRebuild } =
        await import('./run-rebuild');
      const { requireSharedViews, withStores } = await import('../shared/cli-stores');
      const projections = projectionsNamed(options.projection);
      await withStores(async (stores) => {
        requireSharedViews(stores, 'replay');
        for (const projection of projections) {
          const progress = await runRebuild(stores, projection, {
            mode: options.dryRun ? 'dry-run' : 'replay',
            batchSize: options.batchSize ?? stores.config.projector.catchUpBatchSize,
            graceMs: options.graceMs,
          });
          process.stdout.write(describeProgress(progress) + describeComparison(progress));
          if ((progress.comparison?.differing ?? 0) > 0) process.exitCode = EXIT.differences;
        }
      });
    });
}
