#!/usr/bin/env node
import 'reflect-metadata';
import { Command, CommanderError } from 'commander';
import { demoDataCommand } from './demo-data/demo-data.cli';
import { dlqCommand } from './dlq/dlq.cli';
import { eraseCommand } from './erase/erase.cli';
import { importCommand } from './import/import.cli';
import { modelCommand } from './model/model-fit.cli';
import { publishCommand } from './publish/publish.cli';
import { replayCommand } from './replay/replay.cli';
import { CliExit, EXIT, EXIT_CODES_HELP } from './shared/exit-codes';
import { signalsCommand } from './signals/signals-preview.cli';
import { statusCommand } from './status/status.cli';
import { verifyCommand } from './verify/verify.cli';

/** Every `rapport` command, one folder each: add a new command's factory here. */
const COMMANDS: ReadonlyArray<() => Command> = [
  replayCommand,
  verifyCommand,
  importCommand,
  demoDataCommand,
  statusCommand,
  dlqCommand,
  modelCommand,
  publishCommand,
  signalsCommand,
  eraseCommand,
];

const ENVIRONMENT_HELP = `
Stores come from the same environment variables as the apps: DATA_DIR (SQLite events,
default ./data), EVENTSTORE_URL, REDIS_URL (shared views; REDIS_KEY_PREFIX), KAFKA_BROKERS.`;

/** Usage errors exit 2 and help exits 0, in every subcommand, so scripts can tell them apart. */
function exitOverrides(command: Command): void {
  command.exitOverride().showHelpAfterError();
  for (const sub of command.commands) exitOverrides(sub);
}

async function main(argv: readonly string[]): Promise<void> {
  const program = new Command('rapport')
    .description("Rapport: event-sourced customer interaction platform — the engineers' tools")
    .addHelpText('after', ENVIRONMENT_HELP + '\n' + EXIT_CODES_HELP);
  for (const command of COMMANDS) program.addCommand(command());
  exitOverrides(program);
  await program.parseAsync([...argv]);
}

// `rapport … | head` closes the pipe early: that ends the command, it is not a failure.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(EXIT.ok);
  throw error;
});

main(process.argv).then(
  // Stores and clients are closed by now; a lingering handle must not keep a script waiting.
  () => process.exit(process.exitCode ?? EXIT.ok),
  (error: unknown) => {
    if (error instanceof CommanderError) {
      // Help shown because a command was incomplete (`rapport model`) comes with exit code 1
      // from commander: a usage error, unlike help that was asked for.
      const askedFor =
        error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.version' ||
        (error.code === 'commander.help' && error.exitCode === 0);
      process.exit(askedFor ? EXIT.ok : EXIT.usage);
    }
    process.stderr.write(`rapport: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(error instanceof CliExit ? error.exitCode : EXIT.failure);
  },
);
