import fc from 'fast-check';
import { parse } from 'csv-parse/sync';
import { csvCell, csvRecord } from './csv.format';
import { csvChunks, type CsvColumn } from './csv.stream';

const parseCsv = (text: string): string[][] => parse(text, { relax_column_count: false });

async function collect(chunks: AsyncIterable<string>): Promise<string> {
  let text = '';
  for await (const chunk of chunks) text += chunk;
  return text;
}

describe('CSV cells', () => {
  it('writes plain text as it is', () => {
    expect(csvCell('plain text')).toBe('plain text');
  });

  it.each([
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['line\nbreak', '"line\nbreak"'],
    ['carriage\rreturn', '"carriage\rreturn"'],
    ['crlf\r\nend', '"crlf\r\nend"'],
  ])('quotes %j as %j', (value, expected) => {
    expect(csvCell(value)).toBe(expected);
  });

  it.each([
    ['=SUM(A1:A9)', "'=SUM(A1:A9)"],
    ['+1+1', "'+1+1"],
    ['-2+3', "'-2+3"],
    ['@cmd', "'@cmd"],
    ['\tleading tab', "'\tleading tab"],
    ['\rleading cr', `"'\rleading cr"`],
    ['=HYPERLINK("http://x","y")', `"'=HYPERLINK(""http://x"",""y"")"`],
    ['-5', "'-5"],
  ])('neutralises the formula %j', (value, expected) => {
    expect(csvCell(value)).toBe(expected);
  });

  it('writes numbers, bigints, booleans and dates as values, never neutralised', () => {
    expect(csvCell(-5)).toBe('-5');
    expect(csvCell(4999)).toBe('4999');
    expect(csvCell(12345678901234567890n)).toBe('12345678901234567890');
    expect(csvCell(true)).toBe('true');
    expect(csvCell(new Date('2026-11-20T14:03:00Z'))).toBe('2026-11-20T14:03:00.000Z');
  });

  it('writes nothing for null, undefined and non-finite numbers', () => {
    expect(csvRecord([null, undefined, Number.NaN, Infinity])).toBe(',,,\r\n');
  });

  it('writes objects as JSON in one quoted cell', () => {
    const cell = csvCell({ orderId: 'O-1', amount: { minor: 1, currency: 'EUR' } });
    expect(parseCsv(cell)[0][0]).toBe('{"orderId":"O-1","amount":{"minor":1,"currency":"EUR"}}');
  });
});

describe('CSV records', () => {
  it('ends each record with CRLF', () => {
    expect(csvRecord(['a', 'b'])).toBe('a,b\r\n');
  });

  it('round-trips any text through an RFC 4180 parser (after the formula prefix)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: 'binary' }), { minLength: 1, maxLength: 6 }),
        (cells) => {
          const [parsed] = parseCsv(csvRecord(cells));
          const expected = cells.map((c) => (/^[=+\-@\t\r]/.test(c) ? `'${c}` : c));
          expect(parsed).toEqual(expected);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('never lets a cell start with a formula character', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const [[cell]] = parseCsv(csvRecord([text]));
        expect(cell).not.toMatch(/^[=+\-@\t\r]/);
      }),
    );
  });
});

describe('CSV streams', () => {
  interface Row {
    readonly id: number;
    readonly note: string;
  }
  const columns: CsvColumn<Row>[] = [
    { header: 'id', value: (r) => r.id },
    { header: 'note', value: (r) => r.note },
  ];

  it('writes the header row first, then one record per row from an async iterable', async () => {
    async function* rows(): AsyncGenerator<Row> {
      yield { id: 1, note: 'first, with comma' };
      yield { id: 2, note: '=evil()' };
    }
    const text = await collect(csvChunks(columns, rows()));
    expect(parseCsv(text)).toEqual([
      ['id', 'note'],
      ['1', 'first, with comma'],
      ['2', "'=evil()"],
    ]);
  });

  it('writes only the header for no rows', async () => {
    expect(await collect(csvChunks(columns, []))).toBe('id,note\r\n');
  });

  it('streams large sources in chunks without losing or splitting records', async () => {
    const many = Array.from({ length: 20_000 }, (_, id) => ({ id, note: `row "${id}"\nnext` }));
    const chunks: string[] = [];
    for await (const chunk of csvChunks(columns, many)) chunks.push(chunk);
    expect(chunks.length).toBeGreaterThan(1);
    const records = parseCsv(chunks.join(''));
    expect(records).toHaveLength(20_001);
    expect(records[12_346]).toEqual(['12345', 'row "12345"\nnext']);
  });

  it('pulls rows only as fast as they are read', async () => {
    let produced = 0;
    function* rows(): Generator<Row> {
      for (let id = 0; id < 1_000_000; id++) {
        produced++;
        yield { id, note: 'x'.repeat(100) };
      }
    }
    const iterator = csvChunks(columns, rows());
    await iterator.next();
    await iterator.return(undefined);
    expect(produced).toBeLessThan(2_000);
  });
});
