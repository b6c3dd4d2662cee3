import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { Command } from 'commander';
import { CliExit, EXIT } from '../shared/exit-codes';
import { integerOption, isoDateOption } from '../shared/options';

interface DemoDataOptions {
  readonly customers: number;
  readonly months: number;
  readonly seed: number;
  readonly end?: string;
  readonly out?: string;
  readonly intoStore?: boolean;
  readonly batchSize: number;
  readonly identityPeople: number;
  readonly sharedDevices: number;
}

/** Midnight UTC today: the default end, so a seed gives the same bytes all day. */
export function startOfTodayUtc(now = new Date()): string {
  return new Date(
    Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()),
  ).toISOString();
}

/** `rapport demo-data`: a deterministic synthetic history, to a file or into the store. */
export function demoDataCommand(): Command {
  return new Command('demo-data')
    .description(
      'generate a deterministic synthetic customer history (same options and seed, same bytes) ' +
        'as NDJSON touchpoints, or record it straight into the store through the write path',
    )
    .option('-c, --customers <n>', 'customers', integerOption(1, 10_000_000), 1_000)
    .option('-m, --months <n>', 'months of history', integerOption(1, 240), 24)
    .option('-s, --seed <n>', 'random seed', integerOption(0, 2 ** 31 - 1), 1)
    .option('--end <iso>', 'last instant of the history (default: today 00:00 UTC)', isoDateOption)
    .option('-o, --out <file>', 'write NDJSON here ("-" for stdout)')
    .option('--into-store', 'record into the configured event store through the write path')
    .option(
      '--identity-people <n>',
      'people after the history whom identity resolution must stitch: anonymous visits that log in, ' +
        'emails known by address, calls by phone (0: none)',
      integerOption(0, 1_000_000),
      30,
    )
    .option(
      '--shared-devices <n>',
      'family tablets two of those customers log in on: merges the identity limits must refuse',
      integerOption(0, 100_000),
      3,
    )
    .option(
      '--batch-size <n>',
      'touchpoints per write (--into-store)',
      integerOption(1, 100_000),
      5_000,
    )
    .action(async (options: DemoDataOptions) => {
      if (!options.out === !options.intoStore)
        throw new CliExit(
          EXIT.usage,
          'demo-data: give exactly one of --out <file> and --into-store',
        );
      const { generateDemoHistory, generateIdentityStories } =
        await import('../shared/lib/demo-data.lib');
      const { progressBar } = await import('../shared/progress-bar');
      const endAt = options.end ?? startOfTodayUtc();
      function* history() {
        yield* generateDemoHistory({
          customers: options.customers,
          months: options.months,
          seed: options.seed,
          endAt,
        });
        yield* generateIdentityStories({
          people: options.identityPeople,
          sharedDevices: options.sharedDevices,
          seed: options.seed,
          endAt,
        });
      }
      // Customers are generated one after another: progress counts customers.
      const bar = progressBar('demo-data', 'customers');
      bar.start(options.customers, 0, { rate: 0 });
      const started = performance.now();
      let customers = 0;
      let lastCustomer = '';
      const tick = (customerId: string | undefined) => {
        // The identity stories come after the history: progress counts the history's customers.
        if (
          customerId === undefined ||
          customerId === lastCustomer ||
          customers >= options.customers
        )
          return;
        lastCustomer = customerId;
        customers += 1;
        if (customers % 100 === 0) {
          const seconds = (performance.now() - started) / 1000;
          bar.update(customers, { rate: Math.round(customers / Math.max(seconds, 0.001)) });
        }
      };
      let touchpoints = 0;
      try {
        if (options.out) {
          const out: Writable =
            options.out === '-' ? process.stdout : createWriteStream(options.out);
          let chunk = '';
          for (const touchpoint of history()) {
            tick(touchpoint.customerId);
            touchpoints += 1;
            chunk += JSON.stringify(touchpoint) + '\n';
            if (chunk.length > 1 << 20) {
              if (!out.write(chunk)) await once(out, 'drain');
              chunk = '';
            }
          }
          if (out === process.stdout) {
            if (!out.write(chunk)) await once(out, 'drain');
          } else await new Promise<void>((resolve) => out.end(chunk, () => resolve()));
        } else {
          const { withStores } = await import('../shared/cli-stores');
          const { openRecording, TouchpointImporter } = await import('../shared/lib/recording.lib');
          await withStores(
            async (stores) => {
              const recording = await openRecording(stores.eventStore, {
                cacheCapacity: 100_000,
              });
              const importer = new TouchpointImporter(recording.commandBus, {
                batchSize: options.batchSize,
                onRejected: (r) => process.stderr.write(`rejected: ${JSON.stringify(r)}\n`),
              });
              let line = 0;
              for (const touchpoint of history()) {
                tick(touchpoint.customerId);
                touchpoints += 1;
                await importer.add({ line: ++line, touchpoint });
              }
              await importer.flush();
              await recording.close();
              const t = importer.totals;
              process.stderr.write('\n');
              process.stdout.write(
                `recorded ${t.recorded}, duplicates ${t.duplicates}, rejected ${t.rejected} (last position ${t.position})\n`,
              );
            },
            { create: true },
          );
        }
      } finally {
        bar.update(customers);
        bar.stop();
      }
      const seconds = (performance.now() - started) / 1000;
      process.stderr.write(
        `demo-data: ${customers} customers, ${touchpoints} touchpoints in ${seconds.toFixed(1)} s\n`,
      );
    });
}
