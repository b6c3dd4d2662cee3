import { ReadReq } from '@eventstore/db-client/generated/streams_pb';
import type { StoredEvent } from './in-memory.event-log';

/** The server reads $all in pages of this many events (Enumerators.ReadBatchSize). */
export const READ_BATCH_SIZE = 32;

export interface ServerSideFilter {
  readonly matches: (event: StoredEvent) => boolean;
  /** How many events a catch-up page may look at before it answers (the search window). */
  readonly maxSearchWindow: number;
  /** A checkpoint is due after this many events were considered (multiplier × window). */
  readonly checkpointInterval: number;
  readonly description: string;
}

/**
 * Mirrors Streams.Read's ConvertToEventFilter: a non-empty regex wins over prefixes; a regex is
 * searched anywhere in the value (Regex.IsMatch), prefixes are plain starts-with.
 */
export function toServerSideFilter(
  options: ReadReq.Options.FilterOptions,
): ServerSideFilter | Error {
  const onStream = options.hasStreamIdentifier();
  const expression = onStream ? options.getStreamIdentifier() : options.getEventType();
  if (!expression) return new Error('filter has neither stream_identifier nor event_type');
  const value = (event: StoredEvent) => (onStream ? event.streamName : event.type);
  const regex = expression.getRegex();
  let matches: (event: StoredEvent) => boolean;
  let description: string;
  if (regex) {
    let compiled: RegExp;
    try {
      compiled = new RegExp(regex);
    } catch (error) {
      return error instanceof Error ? error : new Error(String(error));
    }
    matches = (event) => compiled.test(value(event));
    description = `${onStream ? 'stream' : 'type'} ~ /${regex}/`;
  } else {
    const prefixes = expression.getPrefixList();
    matches = (event) => prefixes.some((prefix) => value(event).startsWith(prefix));
    description = `${onStream ? 'stream' : 'type'} prefix [${prefixes.join(', ')}]`;
  }
  const maxSearchWindow = options.hasMax() ? options.getMax() : READ_BATCH_SIZE;
  const multiplier = options.getCheckpointintervalmultiplier();
  if (maxSearchWindow <= 0 || multiplier <= 0)
    return new Error('max search window and checkpoint interval multiplier must be > 0');
  return {
    matches,
    maxSearchWindow,
    checkpointInterval: multiplier * maxSearchWindow,
    description,
  };
}
