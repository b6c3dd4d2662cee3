import { createWriteStream, statSync, type Stats, type WriteStream } from 'node:fs';
import { Command, Option } from 'commander';
import { CliExit, EXIT } from '../shared/exit-codes';
import { integerOption } from '../shared/options';

interface ImportOptions {
  readonly format?: 'ndjson' | 'csv';
  readonly rejects?: string;
  readonly batchSize: number;
}

export const CSV_HELP = `
CSV: a header row, then one touchpoint per row. Columns:
  touchpointId, source, customerId, type, occurredAt, channel   the message's fields
  data.<path>      one data field each, e.g. data.orderId, data.amount.minor,
                   data.amount.currency, data.url, data.direction, data.complaintId;
                   data.amount.minor and data.durationSeconds are integers, the rest text;
                   empty cells are left out
  data             alternatively, the whole data object as JSON
Example:
  touchpointId,source,customerId,type,occurredAt,channel,data.orderId,data.amount.minor,data.amount.currency
  pos-1,pos,C-1001,purchase,2026-11-20T14:03:00Z,store,O-55,4999,EUR`;

/** `rapport import <file>`: history from NDJSON or CSV through the write path. */
export function importCommand(): Command {
  return new Command('import')
    .description(
      'record touchpoints from an NDJSON or CSV file through the write path: validated, ' +
        'idempotent (a re-import records nothing new), grouped by customer; prints recorded, ' +
        'duplicates and rejected, and writes the rejected lines with their reasons to a file',
    )
    .argument('<file>', 'NDJSON (.ndjson, .jsonl) or CSV (.csv) file')
    .addOption(
      new Option('--format <format>', 'input format (default: by extension)').choices([
        'ndjson',
        'csv',
      ]),
    )
    .option('--rejects <file>', 'where rejected lines go (default: <file>.rejects.ndjson)')
    .option('--batch-size <n>', 'touchpoints per write', integerOption(1, 100_000), 2_000)
    .addHelpText('after', CSV_HELP)
    .action(async (file: string, options: ImportOptions) => {
      const { withStores } = await import('../shared/cli-stores');
      const { progressBar } = await import('../shared/progress-bar');
      const { identityIndexKey, openRecording, TouchpointImporter } =
        await import('../shared/lib/recording.lib');
      const { csvTouchpoints, ndjsonTouchpoints } = await import('./touchpoint-lines');
      const format = options.format ?? (/\.csv$/i.test(file) ? 'csv' : 'ndjson');
      const rejectsFile = options.rejects ?? `${file}.rejects.ndjson`;
      const total = inputFile(file).size;
      await withStores(
        async (stores) => {
          // Opened at the first rejected line: a clean import leaves no empty file behind.
          let rejects: WriteStream | undefined;
          // The platform's identity rules and digest key: an import resolves as ingest does.
          const recording = await openRecording(stores.eventStore, {
            cacheCapacity: 100_000,
            identity: {
              rules: stores.config.identity.rules,
              digestKey: await identityIndexKey(stores.keys),
            },
          });
          const importer = new TouchpointImporter(recording.commandBus, {
            batchSize: options.batchSize,
            onRejected: (r) =>
              (rejects ??= createWriteStream(rejectsFile)).write(JSON.stringify(r) + '\n'),
          });
          const bar = progressBar('import', 'bytes', 'touchpoints');
          bar.start(total, 0, { rate: 0 });
          const started = performance.now();
          // Identifiers normalised as ingest does: national phone numbers in the default region.
          const identifiers = stores.config.identity;
          const lines =
            format === 'csv'
              ? csvTouchpoints(file, new Date(), identifiers)
              : ndjsonTouchpoints(file, new Date(), identifiers);
          let seen = 0;
          try {
            for await (const { line, bytes, result } of lines) {
              seen += 1;
              if (result.ok) await importer.add({ line, touchpoint: result.touchpoint });
              else
                importer.reject({
                  line,
                  code: 'INVALID_TOUCHPOINT',
                  reasons: result.problems.map((p) =>
                    p.path ? `${p.path}: ${p.message}` : p.message,
                  ),
                });
              if (seen % 1_000 === 0) {
                const seconds = (performance.now() - started) / 1000;
                bar.update(bytes, { rate: Math.round(seen / Math.max(seconds, 0.001)) });
              }
            }
            await importer.flush();
            bar.update(total);
          } finally {
            bar.stop();
            await recording.close();
            if (rejects) await new Promise((resolve) => rejects!.end(resolve));
          }
          const t = importer.totals;
          const seconds = (performance.now() - started) / 1000;
          process.stdout.write(
            `imported ${file}: ${t.recorded} recorded, ${t.duplicates} duplicates, ${t.rejected} rejected ` +
              `in ${seconds.toFixed(1)} s (last position ${t.position})\n` +
              (t.rejected ? `rejected lines with reasons: ${rejectsFile}\n` : ''),
          );
          if (t.rejected > 0) process.exitCode = EXIT.rejected;
        },
        { create: true },
      );
    });
}

/** The file to import, or a message that says what is wrong with the argument. */
function inputFile(file: string): Stats {
  let stats: Stats;
  try {
    stats = statSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliExit(
      EXIT.failure,
      code === 'ENOENT' ? `${file}: no such file` : `${file}: cannot be read (${code ?? error})`,
    );
  }
  if (!stats.isFile())
    throw new CliExit(EXIT.failure, `${file} is not a file: give one NDJSON or CSV file to import`);
  return stats;
}
