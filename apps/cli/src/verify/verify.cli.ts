import { Command } from 'commander';
import { EXIT } from '../shared/exit-codes';
import { integerOption } from '../shared/options';

interface VerifyOptions {
  readonly projection: string;
  readonly batchSize: number;
  readonly show: number;
}

/** `rapport verify --projection <name>`: is the live view what the events say? */
export function verifyCommand(): Command {
  return new Command('verify')
    .description(
      'rebuild a view into a scratch namespace and compare it record by record with the live ' +
        'view; exits 3 and prints the first differences when they differ',
    )
    .requiredOption(
      '-p, --projection <name|all>',
      'projection to verify (e.g. customer-view), or all',
    )
    .option('--batch-size <n>', 'events per read and write', integerOption(1, 100_000), 5_000)
    .addHelpText('after', '\nNeeds REDIS_URL (views shared with the running platform).')
    .action(async (options: VerifyOptions) => {
      const { describeComparison, describeProgress, projectionsNamed, runRebuild } =
        await import('../replay/run-rebuild');
      const { requireSharedViews, withStores } = await import('../shared/cli-stores');
      const projections = projectionsNamed(options.projection);
      await withStores(async (stores) => {
        requireSharedViews(stores, 'verify');
        for (const projection of projections) {
          const progress = await runRebuild(stores, projection, {
            mode: 'verify',
            batchSize: options.batchSize,
            graceMs: 0,
          });
          process.stdout.write(describeProgress(progress) + describeComparison(progress));
          if ((progress.comparison?.differing ?? 0) > 0) process.exitCode = EXIT.differences;
        }
      });
    });
}
