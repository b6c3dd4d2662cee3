import { NestFactory } from '@nestjs/core';
import { CommandBus } from '@nestjs/cqrs';
import type { EventStore } from '@rapport/event-store';
import type { TouchpointRecording } from './record-touchpoints.command';
import { RecordingModule, type RecordingIdentityOptions } from './recording.module';

export interface OpenRecording {
  readonly commandBus: TouchpointRecording;
  /** Ends the recording context; the store stays open (its owner closes it). */
  close(): Promise<void>;
}

/**
 * The write path for a process that runs no app (the CLI import, benches, test harnesses): the
 * same RecordingModule and CommandBus the apps use, over a store the caller opened.
 */
export async function openRecording(
  eventStore: EventStore,
  options: {
    readonly cacheCapacity?: number;
    readonly identity?: RecordingIdentityOptions;
  } = {},
): Promise<OpenRecording> {
  const context = await NestFactory.createApplicationContext(
    RecordingModule.over(eventStore, options.cacheCapacity, options.identity),
    // No logger option: the process's own Logger setting (quiet in the CLI) stays in force.
    { abortOnError: false },
  );
  return { commandBus: context.get(CommandBus), close: () => context.close() };
}
