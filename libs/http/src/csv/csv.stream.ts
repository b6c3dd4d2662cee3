import { csvRecord } from './csv.format';

export interface CsvColumn<T> {
  readonly header: string;
  readonly value: (row: T) => unknown;
}

/** Rows are gathered into chunks of about this many characters before they are written. */
const CHUNK_CHARS = 64 * 1024;

/**
 * A header row, then one record per row, pulled from the source only as fast as the consumer
 * reads: an export of a million rows never sits in memory at once.
 */
export async function* csvChunks<T>(
  columns: readonly CsvColumn<T>[],
  rows: AsyncIterable<T> | Iterable<T>,
): AsyncGenerator<string> {
  let chunk = csvRecord(columns.map((c) => c.header));
  for await (const row of rows) {
    chunk += csvRecord(columns.map((c) => c.value(row)));
    if (chunk.length >= CHUNK_CHARS) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}
