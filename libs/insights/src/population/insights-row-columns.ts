import type { CostPart } from '@rapport/analytics';
import type { InsightsRow } from './insights-rows';
import { sharedList } from './shared-lists';

/** What the list readers need of a snapshot's rows: a count and one row by index. */
export interface RowList {
  readonly length: number;
  at(index: number): InsightsRow | undefined;
}

/** The rows as a saved snapshot holds them: numbers as base64 of their typed arrays. */
export interface EncodedInsightsRows {
  readonly format: 'insights-row-columns/1';
  readonly count: number;
  readonly customerIds: readonly string[];
  readonly words: readonly string[];
  readonly lists: readonly (readonly string[])[];
  readonly odd: readonly (readonly [number, string])[];
  readonly columns: Readonly<Record<string, string>>;
}

const NUMBER_COLUMNS = [
  'revenueMinor',
  'riskScore',
  'churnProbability',
  'valueAtRiskMinor',
  'probabilityAlive',
  'firstSeenAt',
  'lastSeenAt',
  'clvMinor',
  'costToServeMinor',
  'predictedCostMinor',
  'netValueMinor',
] as const;
type NumberColumn = (typeof NUMBER_COLUMNS)[number];

/** Columns of a small set of words (tiers, bands, segments): an index into `words`. */
const WORD_COLUMNS = ['valueTier', 'riskBand', 'segment', 'predictedTier'] as const;
type WordColumn = (typeof WORD_COLUMNS)[number];

const LIST_COLUMNS = ['reasonCodes', 'channels'] as const;
type ListColumn = (typeof LIST_COLUMNS)[number];

/** No predicted tier (older snapshots, or rows of a model without a value part). */
const ABSENT = 255;
/** Flags: the row has the value part (CLV, cost to serve); its CLV is the no-purchase one. */
const HAS_VALUE = 1;
const NO_PURCHASE_YET = 2;
/** Words or lists past these counts cannot be held in their columns' integer widths. */
const MAX_WORDS = ABSENT;
const MAX_LISTS = 65_536;

interface Columns {
  count: number;
  readonly customerIds: string[];
  readonly numbers: Record<NumberColumn, Float64Array>;
  readonly words: Record<WordColumn, Uint8Array>;
  readonly lists: Record<ListColumn, Uint16Array>;
  readonly flags: Uint8Array;
  /** Row i's cost parts are parts [partStart[i], partStart[i + 1]). */
  readonly partStart: Uint32Array;
  partDriver: Uint8Array;
  partUnits: Float64Array;
  partCost: Float64Array;
  partCount: number;
}

/**
 * A snapshot's rows as columns: typed arrays of numbers and of indices into small tables of the
 * words and lists the rows share, about a hundred bytes a customer where the row objects took
 * five hundred. `at(i)` gives the row as the object {@link insightsRowOf} makes, equal to it
 * field by field and in key order; readers that sort or filter on one field read its column.
 * Instants are kept as epoch milliseconds, an instant whose ISO text does not come back the
 * same from them (written otherwise than `toISOString` does) as its text, beside them.
 */
export class InsightsRows implements RowList, Iterable<InsightsRow> {
  private constructor(
    private readonly columns: Columns,
    private readonly wordTable: Words,
    private readonly listTable: Lists,
    /** Instants kept as text: row × 2 (+1 for lastSeenAt) → the text. */
    private readonly odd: Map<number, string>,
  ) {}

  /** Rows to add one by one, up to `capacity` (the customers of the refresh). */
  static builder(capacity: number): InsightsRowsBuilder {
    return new InsightsRowsBuilder(capacity);
  }

  static of(rows: Iterable<InsightsRow>, capacity?: number): InsightsRows {
    const list = Array.isArray(rows) ? (rows as readonly InsightsRow[]) : [...rows];
    const builder = InsightsRows.builder(capacity ?? list.length);
    for (const row of list) builder.add(row);
    return builder.done();
  }

  /** The rows of a stored snapshot: columns, or the row objects snapshots were saved with before. */
  static fromStored(stored: EncodedInsightsRows | readonly InsightsRow[]): InsightsRows {
    if (Array.isArray(stored)) return InsightsRows.of(stored as readonly InsightsRow[]);
    const encoded = stored as EncodedInsightsRows;
    const n = encoded.count;
    const partsLength = (base64: string) => Buffer.byteLength(base64, 'base64');
    const f64 = (name: string) => new Float64Array(bytesOf(encoded.columns[name]).buffer);
    const u8 = (name: string) => bytesOf(encoded.columns[name]);
    const u16 = (name: string) => new Uint16Array(bytesOf(encoded.columns[name]).buffer);
    const partCount = partsLength(encoded.columns.partDriver);
    const columns: Columns = {
      count: n,
      customerIds: [...encoded.customerIds],
      numbers: Object.fromEntries(NUMBER_COLUMNS.map((c) => [c, f64(c)])) as Columns['numbers'],
      words: Object.fromEntries(WORD_COLUMNS.map((c) => [c, u8(c)])) as Columns['words'],
      lists: Object.fromEntries(LIST_COLUMNS.map((c) => [c, u16(c)])) as Columns['lists'],
      flags: u8('flags'),
      partStart: new Uint32Array(bytesOf(encoded.columns.partStart).buffer),
      partDriver: u8('partDriver'),
      partUnits: f64('partUnits'),
      partCost: f64('partCost'),
      partCount,
    };
    const words = new Words();
    for (const word of encoded.words) words.indexOf(word);
    const lists = new Lists();
    for (const list of encoded.lists) lists.indexOf(list);
    return new InsightsRows(columns, words, lists, new Map(encoded.odd));
  }

  get length(): number {
    return this.columns.count;
  }

  at(index: number): InsightsRow | undefined {
    const i = index < 0 ? index + this.length : index;
    if (!(i >= 0 && i < this.length)) return undefined;
    return this.rowAt(i);
  }

  customerIdAt(i: number): string {
    return this.columns.customerIds[i];
  }

  revenueMinorAt(i: number): number {
    return this.columns.numbers.revenueMinor[i];
  }

  clvMinorAt(i: number): number | null | undefined {
    if (!(this.columns.flags[i] & HAS_VALUE)) return undefined;
    return nullable(this.columns.numbers.clvMinor[i]);
  }

  *[Symbol.iterator](): Iterator<InsightsRow> {
    for (let i = 0; i < this.length; i++) yield this.rowAt(i);
  }

  slice(from = 0, to = this.length): InsightsRow[] {
    const start = Math.max(0, from < 0 ? from + this.length : from);
    const end = Math.min(this.length, to < 0 ? to + this.length : to);
    const rows: InsightsRow[] = [];
    for (let i = start; i < end; i++) rows.push(this.rowAt(i));
    return rows;
  }

  map<T>(map: (row: InsightsRow, index: number) => T): T[] {
    const mapped = new Array<T>(this.length);
    for (let i = 0; i < this.length; i++) mapped[i] = map(this.rowAt(i), i);
    return mapped;
  }

  filter(keep: (row: InsightsRow, index: number) => boolean): InsightsRow[] {
    const kept: InsightsRow[] = [];
    for (let i = 0; i < this.length; i++) {
      const row = this.rowAt(i);
      if (keep(row, i)) kept.push(row);
    }
    return kept;
  }

  find(test: (row: InsightsRow, index: number) => boolean): InsightsRow | undefined {
    for (let i = 0; i < this.length; i++) {
      const row = this.rowAt(i);
      if (test(row, i)) return row;
    }
    return undefined;
  }

  /** The row objects, e.g. where a whole snapshot is answered as JSON. */
  toJSON(): InsightsRow[] {
    return this.slice();
  }

  /** The columns as JSON data, for saving a snapshot (a read store holds plain data). */
  encoded(): EncodedInsightsRows {
    const c = this.columns;
    const columns: Record<string, string> = {};
    for (const name of NUMBER_COLUMNS) columns[name] = base64Of(c.numbers[name]);
    for (const name of WORD_COLUMNS) columns[name] = base64Of(c.words[name]);
    for (const name of LIST_COLUMNS) columns[name] = base64Of(c.lists[name]);
    columns.flags = base64Of(c.flags);
    columns.partStart = base64Of(c.partStart);
    columns.partDriver = base64Of(c.partDriver);
    columns.partUnits = base64Of(c.partUnits);
    columns.partCost = base64Of(c.partCost);
    return {
      format: 'insights-row-columns/1',
      count: c.count,
      customerIds: c.customerIds,
      words: this.wordTable.words,
      lists: this.listTable.lists,
      odd: [...this.odd],
      columns,
    };
  }

  /**
   * The rows in another order (`order[k]` is the index of the k-th row): what ranking a
   * refresh's rows makes, one column at a time, never a row object.
   */
  reordered(order: Uint32Array): InsightsRows {
    const c = this.columns;
    const n = order.length;
    const numbers = {} as Columns['numbers'];
    for (const name of NUMBER_COLUMNS) numbers[name] = permuted(c.numbers[name], order);
    const words = {} as Columns['words'];
    for (const name of WORD_COLUMNS) words[name] = permuted(c.words[name], order);
    const lists = {} as Columns['lists'];
    for (const name of LIST_COLUMNS) lists[name] = permuted(c.lists[name], order);
    const customerIds = new Array<string>(n);
    const partStart = new Uint32Array(n + 1);
    const partDriver = new Uint8Array(c.partCount);
    const partUnits = new Float64Array(c.partCount);
    const partCost = new Float64Array(c.partCount);
    const odd = new Map<number, string>();
    let part = 0;
    for (let k = 0; k < n; k++) {
      const i = order[k];
      customerIds[k] = c.customerIds[i];
      partStart[k] = part;
      for (let p = c.partStart[i]; p < c.partStart[i + 1]; p++, part++) {
        partDriver[part] = c.partDriver[p];
        partUnits[part] = c.partUnits[p];
        partCost[part] = c.partCost[p];
      }
      for (const which of [0, 1]) {
        const text = this.odd.get(i * 2 + which);
        if (text !== undefined) odd.set(k * 2 + which, text);
      }
    }
    partStart[n] = part;
    const columns: Columns = {
      count: n,
      customerIds,
      numbers,
      words,
      lists,
      flags: permuted(c.flags, order),
      partStart,
      partDriver,
      partUnits,
      partCost,
      partCount: part,
    };
    return new InsightsRows(columns, this.wordTable, this.listTable, odd);
  }

  /** Sets row i's predicted tier: only while the refresh that built the rows completes them. */
  setPredictedTier(i: number, tier: string): void {
    this.columns.words.predictedTier[i] = this.wordTable.indexOf(tier);
  }

  private rowAt(i: number): InsightsRow {
    const c = this.columns;
    const n = c.numbers;
    const word = (name: WordColumn) => this.wordTable.words[c.words[name][i]];
    const flags = c.flags[i];
    const predicted = c.words.predictedTier[i];
    const row: Record<string, unknown> = {
      customerId: c.customerIds[i],
      revenueMinor: n.revenueMinor[i],
      valueTier: word('valueTier'),
      riskScore: n.riskScore[i],
      riskBand: word('riskBand'),
      churnProbability: n.churnProbability[i],
      valueAtRiskMinor: n.valueAtRiskMinor[i],
      probabilityAlive: nullable(n.probabilityAlive[i]),
      segment: word('segment'),
      reasonCodes: this.listTable.lists[c.lists.reasonCodes[i]],
      firstSeenAt: this.odd.get(i * 2) ?? isoOf(n.firstSeenAt[i]),
      lastSeenAt:
        this.odd.get(i * 2 + 1) ?? (isNaN(n.lastSeenAt[i]) ? null : isoOf(n.lastSeenAt[i])),
      channels: this.listTable.lists[c.lists.channels[i]],
    };
    if (flags & HAS_VALUE) {
      row.clvMinor = nullable(n.clvMinor[i]);
      if (flags & NO_PURCHASE_YET) row.clvBasis = 'no-purchase-yet';
      if (predicted !== ABSENT) row.predictedTier = this.wordTable.words[predicted];
      row.costToServeMinor = n.costToServeMinor[i];
      row.predictedCostMinor = n.predictedCostMinor[i];
      row.netValueMinor = nullable(n.netValueMinor[i]);
      const parts: CostPart[] = [];
      for (let p = c.partStart[i]; p < c.partStart[i + 1]; p++)
        parts.push({
          driver: this.wordTable.words[c.partDriver[p]] as CostPart['driver'],
          units: c.partUnits[p],
          costMinor: c.partCost[p],
        });
      row.costParts = parts;
    } else if (predicted !== ABSENT) row.predictedTier = this.wordTable.words[predicted];
    return row as unknown as InsightsRow;
  }

  /** @internal for the builder */
  static made(columns: Columns, words: Words, lists: Lists, odd: Map<number, string>) {
    return new InsightsRows(columns, words, lists, odd);
  }
}

/** Adds rows to columns sized for the refresh's customers; `done` trims them to the rows added. */
export class InsightsRowsBuilder {
  private readonly columns: Columns;
  private readonly words = new Words();
  private readonly lists = new Lists();
  private readonly odd = new Map<number, string>();

  constructor(private readonly capacity: number) {
    const numbers = {} as Columns['numbers'];
    for (const name of NUMBER_COLUMNS) numbers[name] = new Float64Array(capacity);
    const words = {} as Columns['words'];
    for (const name of WORD_COLUMNS) words[name] = new Uint8Array(capacity);
    const lists = {} as Columns['lists'];
    for (const name of LIST_COLUMNS) lists[name] = new Uint16Array(capacity);
    this.columns = {
      count: 0,
      customerIds: [],
      numbers,
      words,
      lists,
      flags: new Uint8Array(capacity),
      partStart: new Uint32Array(capacity + 1),
      partDriver: new Uint8Array(capacity),
      partUnits: new Float64Array(capacity),
      partCost: new Float64Array(capacity),
      partCount: 0,
    };
  }

  add(row: InsightsRow): void {
    const c = this.columns;
    const i = c.count;
    if (i >= this.capacity) throw new RangeError(`more rows than the ${this.capacity} expected`);
    const n = c.numbers;
    c.customerIds.push(row.customerId);
    n.revenueMinor[i] = row.revenueMinor;
    n.riskScore[i] = row.riskScore;
    n.churnProbability[i] = row.churnProbability;
    n.valueAtRiskMinor[i] = row.valueAtRiskMinor;
    n.probabilityAlive[i] = row.probabilityAlive ?? NaN;
    n.firstSeenAt[i] = this.instant(i * 2, row.firstSeenAt);
    n.lastSeenAt[i] = row.lastSeenAt === null ? NaN : this.instant(i * 2 + 1, row.lastSeenAt);
    c.words.valueTier[i] = this.words.indexOf(row.valueTier);
    c.words.riskBand[i] = this.words.indexOf(row.riskBand);
    c.words.segment[i] = this.words.indexOf(row.segment);
    c.words.predictedTier[i] =
      row.predictedTier === undefined ? ABSENT : this.words.indexOf(row.predictedTier);
    c.lists.reasonCodes[i] = this.lists.indexOf(row.reasonCodes);
    c.lists.channels[i] = this.lists.indexOf(row.channels);
    c.partStart[i] = c.partCount;
    if (row.clvMinor !== undefined) {
      c.flags[i] = HAS_VALUE | (row.clvBasis === 'no-purchase-yet' ? NO_PURCHASE_YET : 0);
      n.clvMinor[i] = row.clvMinor ?? NaN;
      n.costToServeMinor[i] = row.costToServeMinor ?? 0;
      n.predictedCostMinor[i] = row.predictedCostMinor ?? 0;
      n.netValueMinor[i] = row.netValueMinor ?? NaN;
      for (const part of row.costParts ?? []) this.addPart(part);
    }
    c.count = i + 1;
    c.partStart[i + 1] = c.partCount;
  }

  done(): InsightsRows {
    const c = this.columns;
    const n = c.count;
    const trim = <A extends Float64Array | Uint8Array | Uint16Array | Uint32Array>(
      array: A,
      length: number,
    ): A => (array.length === length ? array : (array.slice(0, length) as A));
    const numbers = {} as Columns['numbers'];
    for (const name of NUMBER_COLUMNS) numbers[name] = trim(c.numbers[name], n);
    const words = {} as Columns['words'];
    for (const name of WORD_COLUMNS) words[name] = trim(c.words[name], n);
    const lists = {} as Columns['lists'];
    for (const name of LIST_COLUMNS) lists[name] = trim(c.lists[name], n);
    return InsightsRows.made(
      {
        count: n,
        customerIds: c.customerIds,
        numbers,
        words,
        lists,
        flags: trim(c.flags, n),
        partStart: trim(c.partStart, n + 1),
        partDriver: trim(c.partDriver, c.partCount),
        partUnits: trim(c.partUnits, c.partCount),
        partCost: trim(c.partCost, c.partCount),
        partCount: c.partCount,
      },
      this.words,
      this.lists,
      this.odd,
    );
  }

  private addPart(part: CostPart): void {
    const c = this.columns;
    if (c.partCount === c.partDriver.length) {
      const grown = Math.max(16, c.partDriver.length * 2);
      c.partDriver = grownTo(c.partDriver, new Uint8Array(grown));
      c.partUnits = grownTo(c.partUnits, new Float64Array(grown));
      c.partCost = grownTo(c.partCost, new Float64Array(grown));
    }
    c.partDriver[c.partCount] = this.words.indexOf(part.driver);
    c.partUnits[c.partCount] = part.units;
    c.partCost[c.partCount] = part.costMinor;
    c.partCount += 1;
  }

  /** Epoch ms of an instant; its text kept beside it when the ms would not give it back. */
  private instant(key: number, text: string): number {
    const ms = Date.parse(text);
    if (isNaN(ms) || isoOf(ms) !== text) this.odd.set(key, text);
    return ms;
  }
}

/** The words of the word columns (tiers, bands, segments, cost drivers), each index once. */
class Words {
  readonly words: string[] = [];
  private readonly index = new Map<string, number>();

  indexOf(word: string): number {
    let i = this.index.get(word);
    if (i === undefined) {
      i = this.words.length;
      if (i >= MAX_WORDS) throw new RangeError(`more than ${MAX_WORDS} distinct words in rows`);
      this.words.push(word);
      this.index.set(word, i);
    }
    return i;
  }
}

/** The distinct lists (reason codes, channels), shared as computed rows share them. */
class Lists {
  readonly lists: (readonly string[])[] = [];
  private readonly index = new Map<string, number>();

  indexOf(list: readonly string[]): number {
    const key = list.join('\u0000');
    let i = this.index.get(key);
    if (i === undefined) {
      i = this.lists.length;
      if (i >= MAX_LISTS) throw new RangeError(`more than ${MAX_LISTS} distinct lists in rows`);
      this.lists.push(sharedList(list));
      this.index.set(key, i);
    }
    return i;
  }
}

function nullable(value: number): number | null {
  return isNaN(value) ? null : value;
}

function isoOf(ms: number): string {
  return new Date(ms).toISOString();
}

function permuted<A extends Float64Array | Uint8Array | Uint16Array>(
  array: A,
  order: Uint32Array,
): A {
  const out = new (array.constructor as new (length: number) => A)(order.length);
  for (let k = 0; k < order.length; k++) out[k] = array[order[k]];
  return out;
}

function grownTo<A extends Uint8Array | Float64Array>(from: A, to: A): A {
  to.set(from);
  return to;
}

function base64Of(array: Float64Array | Uint8Array | Uint16Array | Uint32Array): string {
  return Buffer.from(array.buffer, array.byteOffset, array.byteLength).toString('base64');
}

/** Bytes decoded into a buffer of their own (aligned for any typed array over it). */
function bytesOf(base64: string): Uint8Array {
  return new Uint8Array(Buffer.from(base64, 'base64'));
}
