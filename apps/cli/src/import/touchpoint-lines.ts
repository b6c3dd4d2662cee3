import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { parse } from 'csv-parse';
import {
  DECODE_FAILURE_CODES,
  decodeTouchpoint,
  type DecodeResult,
  type IdentifierNormalisation,
} from '@rapport/contract';

export interface DecodedLine {
  readonly line: number;
  /** Bytes of input consumed so far (for progress). */
  readonly bytes: number;
  readonly result: DecodeResult;
}

/** NDJSON: one touchpoint message per line; blank lines are skipped. */
export async function* ndjsonTouchpoints(
  file: string,
  now: Date,
  identifiers: IdentifierNormalisation = {},
): AsyncGenerator<DecodedLine> {
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  let line = 0;
  let bytes = 0;
  for await (const text of lines) {
    line += 1;
    bytes += Buffer.byteLength(text) + 1;
    if (!text.trim()) continue;
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (error) {
      yield {
        line,
        bytes,
        result: {
          ok: false,
          code: DECODE_FAILURE_CODES.invalidJson,
          problems: [{ path: '', message: `not JSON: ${(error as Error).message}` }],
        },
      };
      continue;
    }
    yield { line, bytes, result: decodeTouchpoint(raw, { now, identifiers }) };
  }
}

/** Columns of `data` read as integers; every other data column is text. */
const INTEGER_DATA_FIELDS = new Set(['amount.minor', 'durationSeconds']);

/**
 * CSV with a header row. Columns touchpointId, source, customerId, type, occurredAt, channel map
 * to the message's fields; `data.<path>` columns build its data (`data.amount.minor`,
 * `data.amount.currency`, `data.orderId`, …; empty cells are left out); or one `data` column
 * holds the data as a JSON object. Unknown columns are refused like unknown fields.
 */
export async function* csvTouchpoints(
  file: string,
  now: Date,
  identifiers: IdentifierNormalisation = {},
): AsyncGenerator<DecodedLine> {
  const parser = createReadStream(file).pipe(
    parse({ columns: checkedHeader, info: true, skip_empty_lines: true, trim: true, bom: true }),
  );
  for await (const { record, info } of parser as AsyncIterable<{
    record: Record<string, string>;
    info: { lines: number; bytes: number };
  }>) {
    const line = info.lines;
    const mapped = csvRecordToMessage(record);
    yield {
      line,
      bytes: info.bytes,
      result: mapped.ok
        ? decodeTouchpoint(mapped.message, { now, identifiers })
        : {
            ok: false,
            code: DECODE_FAILURE_CODES.contract,
            problems: [{ path: mapped.path, message: mapped.message }],
          },
    };
  }
}

/** The message's own fields; everything else is `data` or `data.<path>`. */
const MESSAGE_COLUMNS = ['touchpointId', 'source', 'customerId', 'type', 'occurredAt', 'channel'];

/**
 * A wrong header is refused once, at the header, naming the columns: otherwise every row would
 * be rejected with the same reasons and the import would look like bad data.
 */
export function checkedHeader(header: readonly string[]): string[] {
  const problems: string[] = [];
  const missing = MESSAGE_COLUMNS.filter((column) => !header.includes(column));
  if (missing.length) problems.push(`missing column(s) ${missing.join(', ')}`);
  const unknown = header.filter(
    (column) =>
      !MESSAGE_COLUMNS.includes(column) && column !== 'data' && !/^data\.\S+$/.test(column),
  );
  if (unknown.length)
    problems.push(
      `unknown column(s) ${unknown.map((c) => JSON.stringify(c)).join(', ')} ` +
        '(data fields are named data.<path>, e.g. data.orderId)',
    );
  const repeated = header.filter((column, i) => header.indexOf(column) !== i);
  if (repeated.length) problems.push(`repeated column(s) ${[...new Set(repeated)].join(', ')}`);
  if (problems.length)
    throw new Error(
      `the CSV header is not a touchpoint header: ${problems.join('; ')}. ` +
        'See `rapport import --help` for the columns.',
    );
  return [...header];
}

type Mapped =
  | { readonly ok: true; readonly message: Record<string, unknown> }
  | { readonly ok: false; readonly path: string; readonly message: string };

export function csvRecordToMessage(record: Record<string, string>): Mapped {
  const message: Record<string, unknown> = {};
  let data: Record<string, unknown> | undefined;
  for (const [column, cell] of Object.entries(record)) {
    if (cell === '' || cell === undefined) continue;
    if (column === 'data') {
      try {
        data = { ...(data ?? {}), ...(JSON.parse(cell) as Record<string, unknown>) };
      } catch {
        return { ok: false, path: 'data', message: 'the data column must hold a JSON object' };
      }
    } else if (column.startsWith('data.')) {
      const path = column.slice('data.'.length);
      let value: unknown = cell;
      if (INTEGER_DATA_FIELDS.has(path)) {
        value = Number(cell);
        if (!Number.isInteger(value))
          return {
            ok: false,
            path: column,
            message: `must be an integer (got ${JSON.stringify(cell)})`,
          };
      }
      data ??= {};
      setPath(data, path.split('.'), value);
    } else {
      message[column] = cell;
    }
  }
  if (data) message.data = data;
  return { ok: true, message };
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    if (typeof node[key] !== 'object' || node[key] === null) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1]] = value;
}
