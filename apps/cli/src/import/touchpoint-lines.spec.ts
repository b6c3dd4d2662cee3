import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { csvTouchpoints, ndjsonTouchpoints } from './touchpoint-lines';

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

describe('ndjsonTouchpoints', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'rapport-ndjson-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const visitByPhone = JSON.stringify({
    touchpointId: 'call-1',
    source: 'callcentre',
    identifiers: [{ type: 'phone', value: '020 7946 0958' }],
    type: 'call',
    occurredAt: '2026-10-20T14:03:00Z',
    channel: 'phone',
    data: { direction: 'inbound', durationSeconds: 60 },
  });
  const read = async (identifiers?: { defaultRegion?: string }) => {
    const file = join(dir, 'in.ndjson');
    writeFileSync(file, visitByPhone + '\n');
    const lines = [];
    for await (const line of ndjsonTouchpoints(file, NOW, identifiers)) lines.push(line);
    return lines.map((l) => l.result);
  };

  it('reads national phone numbers in the configured default region, as ingest does', async () => {
    expect(await read({ defaultRegion: 'GB' })).toEqual([
      expect.objectContaining({
        ok: true,
        touchpoint: expect.objectContaining({
          identifiers: [{ type: 'phone', value: '+442079460958' }],
        }),
      }),
    ]);
    expect(await read()).toEqual([expect.objectContaining({ ok: false })]);
  });
});
