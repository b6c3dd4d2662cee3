import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureCliBuilt, rapport } from './rapport-cli';

const END = '2026-11-01T00:00:00Z';

// Each run of the CLI is a node process of its own; demo data takes a few of them.
jest.setTimeout(180_000);

describe('rapport model fit', () => {
  let dir: string;
  beforeAll(() => ensureCliBuilt(), 120_000);
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rapport-model-'));
    const demo = await rapport(
      ['demo-data', '-c', '400', '-m', '24', '-s', '7', '--end', END, '--into-store'],
      { DATA_DIR: join(dir, 'data') },
    );
    expect(demo.code).toBe(0);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const env = () => ({ DATA_DIR: join(dir, 'data') });

  it('says in its help that a plain --as-of date means through the end of that day', async () => {
    const help = await rapport(['model', 'fit', '--help'], env());
    expect(help.stdout.replace(/\s+/g, ' ')).toContain('through the end of that UTC day');
    expect(help.stdout).toContain('--holdout-from');
  });

  it('prints p, q and gamma beside r, alpha, a and b, with log-likelihoods and the holdout table', async () => {
    const run = await rapport(
      ['model', 'fit', '--as-of', '2026-10-31', '--holdout-from', '2026-05-01'],
      env(),
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /r=\d+\.\d+ alpha=\d+\.\d+ a=\d+\.\d+ b=\d+\.\d+, log-likelihood -\d+/,
    );
    expect(run.stdout).toMatch(/p=\d+\.\d+ q=\d+\.\d+ gamma=\d+\.\d+, log-likelihood -\d+/);
    expect(run.stdout).toMatch(/frequency-spend correlation -?\d\.\d{3}/);
    expect(run.stdout).toContain(
      'calibration up to 2026-04-30T23:59:59.999Z, holdout 2026-05-01T00:00:00.000Z .. 2026-10-31T23:59:59.999Z',
    );
    for (const row of ['0', '1', '2', '3', '4', '5', '6', '7+', 'total'])
      expect(run.stdout).toMatch(
        new RegExp(`^\\s+${row.replace('+', '\\+')}\\s+\\d+\\s+\\d+`, 'm'),
      );
  });

  it('gives the same as JSON, the holdout rows adding up to the totals', async () => {
    const run = await rapport(
      ['model', 'fit', '--as-of', '2026-10-31', '--holdout-from', '2026-05-01', '--json'],
      env(),
    );
    const result = JSON.parse(run.stdout);
    expect(result.spendFit.params.q).toBeGreaterThan(0);
    const table = result.holdout.table;
    expect(table.rows).toHaveLength(8);
    expect(table.total.customers).toBe(
      table.rows.reduce((s: number, r: { customers: number }) => s + r.customers, 0),
    );
    // The fit on the calibration period predicts the holdout it never saw, in total, within 25%.
    expect(table.total.predicted / table.total.actual).toBeGreaterThan(0.75);
    expect(table.total.predicted / table.total.actual).toBeLessThan(1.25);
  });

  it('refuses a holdout start that is not a date', async () => {
    const run = await rapport(['model', 'fit', '--holdout-from', 'spring'], env());
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('its start');
  });
});
