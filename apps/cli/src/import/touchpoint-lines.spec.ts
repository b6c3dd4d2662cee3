import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { csvTouchpoints } from './touchpoint-lines';

const NOW = new Date('2026-12-01T00:00:00Z');

describe('csvTouchpoints', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'rapport-csv-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const read = async (csv: string) => {
    const file = join(dir, 'in.csv');
    writeFileSync(file, csv);
    const lines = [];
    for await (const line of csvTouchpoints(file, NOW)) lines.push(line);
    return lines;
  };

  describe('when the header is not a touchpoint header', () => {
    it('refuses the file at the header, naming missing, unknown and repeated columns', async () => {
      const header = 'touchpointId,source,customer,type,occurredAt,occurredAt,amount';
      await expect(read(`${header}\npos-1,pos,C-1,purchase,x,y,1\n`)).rejects.toThrow(
        /missing column\(s\) customerId, channel; unknown column\(s\) "customer", "amount" .*data\.<path>.*; repeated column\(s\) occurredAt/,
      );
    });
  });

  describe('when the header is right', () => {
    it('decodes each row, line numbers counted from the header', async () => {
      const lines = await read(
        'touchpointId,source,customerId,type,occurredAt,channel,data.orderId,data.amount.minor,data.amount.currency\n' +
          'pos-1,pos,C-1001,purchase,2026-10-20T14:03:00Z,store,O-55,4999,EUR\n',
      );
      expect(lines).toEqual([
        expect.objectContaining({ line: 2, result: expect.objectContaining({ ok: true }) }),
      ]);
    });
  });
});
