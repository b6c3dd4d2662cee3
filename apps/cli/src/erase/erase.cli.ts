import { readFileSync } from 'node:fs';
import { Logger } from '@nestjs/common';
import { Command } from 'commander';
import { CliExit, EXIT } from '../shared/exit-codes';

interface EraseOptions {
  readonly reason?: string;
  readonly verify?: boolean;
  readonly values?: string;
  readonly logs?: string[];
  readonly json?: boolean;
}

/**
 * `rapport erase <id> --reason …`: the right to be forgotten from the command line, as
 * DELETE /v1/customers/{id} does it. `--verify` proves it: the log holds the erasure and no key
 * opens what was sealed before it; with `--values` it also scans every store for the values.
 */
export function eraseCommand(): Command {
  return new Command('erase')
    .description(
      "erase a customer's personal data (destroys their key, appends CustomerErased); " +
        '--verify checks an erasure instead',
    )
    .argument('<customerId>')
    .option('--reason <text>', 'why (a request reference, no personal data); required to erase')
    .option('--verify', 'check that the customer is erased; exit 6 if not')
    .option(
      '--values <file>',
      'with --verify: a file of erased values, one a line, to look for (plain, JSON, base64, hex, CSV, URL) in DATA_DIR files, Redis and dead letters',
    )
    .option('--logs <files...>', 'with --values: log files to scan too')
    .option('--json', 'print JSON')
    .action(async (customerId: string, options: EraseOptions) => {
      const { withStores } = await import('../shared/cli-stores');
      const privacy = await import('../shared/lib/privacy.lib');
      await withStores(async (stores) => {
        if (options.verify) {
          const check = await privacy.checkErasure(stores.rawEventStore, stores.keys, customerId);
          const values = options.values ? readValues(options.values) : [];
          const { scanStores } = await import('./scan-stores');
          // Without values the dead letters are still checked (when Kafka is configured).
          const scan =
            values.length || stores.config.kafka
              ? await scanStores(stores.config, stores.keys, customerId, values, options.logs ?? [])
              : { findings: [], scanned: [], problems: [], notes: [] };
          // Findings name the value by its line in the file: the report must not repeat it.
          const problems = [
            ...check.problems,
            ...scan.problems,
            ...scan.findings.map(
              (f) =>
                `value #${values.indexOf(f.value) + 1} found (${f.encoding}) in ${f.where} at byte ${f.offset}`,
            ),
          ];
          const report = {
            customerId,
            erased: check.erased && scan.findings.length === 0 && scan.problems.length === 0,
            eventsChecked: check.eventsChecked,
            valuesScanned: values.length,
            scanned: scan.scanned,
            problems,
            notes: scan.notes,
          };
          print(
            report,
            options.json,
            () =>
              (report.erased
                ? `customer ${customerId} is erased: ${check.eventsChecked} events checked` +
                  (values.length
                    ? `, ${values.length} values not found in ${scan.scanned.length} places`
                    : '')
                : `customer ${customerId} is NOT erased:\n  ${problems.join('\n  ')}`) +
              scan.notes.map((note) => `\n  note: ${note}`).join(''),
          );
          if (!report.erased) process.exitCode = EXIT.notErased;
          return;
        }
        if (!options.reason?.trim())
          throw new CliExit(EXIT.usage, 'erase needs --reason <text> (a request reference)');
        if (stores.config.privacy.encryption === 'off')
          throw new CliExit(EXIT.failure, 'PERSONAL_DATA_ENCRYPTION=off: nothing can be erased');
        // Each step on stderr with RAPPORT_CLI_VERBOSE=1, and a pause after it with
        // RAPPORT_ERASE_STEP_PAUSE_MS (test-only): the erasure fault spec kills on these lines,
        // and the pause makes its SIGKILL land between two steps, not after the last.
        const logger = new Logger('Erasure');
        const pauseMs = Number(process.env.RAPPORT_ERASE_STEP_PAUSE_MS ?? 0);
        const outcome = await privacy
          .eraseProfile(
            stores.eventStore,
            stores.keys,
            {
              customerId,
              reason: options.reason,
              requestedAt: new Date().toISOString(),
              correlationId: `cli-erase-${process.pid}`,
            },
            async (step) => {
              logger.log(`erase ${customerId}: ${step}`);
              if (pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs));
            },
          )
          .catch((error: unknown) => {
            if (error instanceof privacy.CustomerNotFoundError)
              throw new CliExit(EXIT.failure, error.message);
            throw error;
          });
        const report = {
          ...outcome,
          position: outcome.position.toString(),
          members: outcome.members.map((member) => member.customerId),
        };
        print(
          report,
          options.json,
          () =>
            `customer ${customerId} erased at position ${report.position}` +
            (outcome.appended ? '' : ' (the erasure event was there already)') +
            (outcome.keyDestroyed ? '; key destroyed' : '; no key was left to destroy'),
        );
      });
    });
}

function readValues(path: string): string[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.length > 0);
}

function print(report: object, json: boolean | undefined, text: () => string): void {
  process.stdout.write((json ? JSON.stringify(report, null, 2) : text()) + '\n');
}
