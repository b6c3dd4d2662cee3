import { Command } from 'commander';
import type { DeadLetterRecord } from '@rapport/messaging';
import { CliExit, EXIT } from '../shared/exit-codes';
import { integerOption } from '../shared/options';

async function kafkaConfig() {
  const { loadConfig } = await import('../shared/lib/config.lib');
  const kafka = loadConfig().kafka;
  if (!kafka)
    throw new CliExit(
      EXIT.failure,
      'dlq: set KAFKA_BROKERS (and KAFKA_DLQ_TOPIC if not touchpoints.dlq)',
    );
  return kafka;
}

/** `rapport dlq list|replay`: read dead letters and re-drive them after a fix. */
export function dlqCommand(): Command {
  const dlq = new Command('dlq').description(
    'dead letters: touchpoint messages ingest could never record, with the reason in headers',
  );
  dlq
    .command('list')
    .description('print dead letters (waiting ones by default): offset, code, reason, message')
    .option('--all', 'include those re-driven already')
    .option('--limit <n>', 'at most this many', integerOption(1, 1_000_000), 100)
    .option('--json', 'one JSON object per line')
    .action(async (options: { all?: boolean; limit: number; json?: boolean }) => {
      const { readDeadLetters } = await import('../shared/lib/messaging.lib');
      const letters = await readDeadLetters(await kafkaConfig(), {
        waitingOnly: !options.all,
        limit: options.limit,
      });
      const { openDeadLetterValues } = await import('./open-dead-letters');
      for (const letter of await openDeadLetterValues(letters))
        process.stdout.write(options.json ? JSON.stringify(letter) + '\n' : describe(letter));
      if (!options.json) process.stdout.write(`${letters.length} dead letters\n`);
    });
  dlq
    .command('replay')
    .description(
      're-drive waiting dead letters to their original topic after a fix; ingest decides them ' +
        'again with the same event ids (same source + touchpointId), so nothing is recorded twice',
    )
    .option('--code <code>', 'only dead letters with this code (e.g. ORDER_NOT_FOUND)')
    .option('--dry-run', 'count what would be re-driven, send nothing')
    .action(async (options: { code?: string; dryRun?: boolean }) => {
      const { redriveDeadLetters } = await import('../shared/lib/messaging.lib');
      const result = await redriveDeadLetters(await kafkaConfig(), {
        dryRun: options.dryRun,
        select: options.code ? (letter) => letter.code === options.code : undefined,
      });
      process.stdout.write(
        `${options.dryRun ? 'would re-drive' : 're-drove'} ${result.redriven} dead letters` +
          (result.skipped ? `, skipped ${result.skipped} (other codes; still waiting)` : '') +
          '\n',
      );
    });
  return dlq;
}

function describe(letter: DeadLetterRecord): string {
  return (
    `${letter.partition}/${letter.offset} ${letter.code} (${letter.failedAt}) key=${letter.key ?? ''}\n` +
    `  reason: ${letter.reason}\n  value: ${letter.value ?? ''}\n`
  );
}
