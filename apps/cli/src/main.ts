#!/usr/bin/env node
import 'reflect-metadata';
import { Command } from 'commander';
import { publishCommand } from './publish/publish.command';

/** Every `rapport` command, one folder each: add a new command's factory here. */
const COMMANDS: ReadonlyArray<() => Command> = [publishCommand];

async function main(argv: readonly string[]): Promise<void> {
  const program = new Command('rapport')
    .description('Rapport: event-sourced customer interaction platform')
    .showHelpAfterError();
  for (const command of COMMANDS) program.addCommand(command());
  await program.parseAsync([...argv]);
}

main(process.argv).catch((error: unknown) => {
  process.stderr.write(`rapport: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
