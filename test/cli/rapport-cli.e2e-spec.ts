import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import {
  deleteRedisNamespace,
  describeIfAvailable,
  redisAvailability,
  uniqueRedisKeyPrefix,
} from '@rapport/test-support';
import { CLI_ENTRY, ensureCliBuilt, rapport } from './rapport-cli';

const END = '2026-11-01T00:00:00Z';

// Each run of the CLI is a node process of its own (about a second on this machine).
jest.setTimeout(60_000);

describe('rapport CLI', () => {
  let dir: string;
  beforeAll(() => ensureCliBuilt(), 120_000);
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rapport-cli-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const env = () => ({ DATA_DIR: join(dir, 'data') });

  describe('when asked for help or given a wrong command line', () => {
    it('prints the commands and exit codes with 0, and exits 2 on a usage error', async () => {
      const help = await rapport(['--help'], env());
      expect(help.code).toBe(0);
      for (const command of ['replay', 'verify', 'import', 'demo-data', 'status', 'dlq', 'model'])
        expect(help.stdout).toContain(command);
      expect(help.stdout).toContain('Exit codes:');
      expect((await rapport(['import', '--help'], env())).stdout).toContain('data.amount.minor');
      expect((await rapport(['replay'], env())).code).toBe(2);
      expect((await rapport(['demo-data', '--customers', 'many', '--out', 'x'], env())).code).toBe(
        2,
      );
      expect((await rapport(['no-such-command'], env())).code).toBe(2);
    });
  });

  describe('when started through the launcher (npm run rapport, the bin)', () => {
    it('runs the built CLI without building it again when it is current', () => {
      const built = statSync(CLI_ENTRY).mtimeMs;
      const launcher = join(__dirname, '../../bin/rapport.js');
      const help = spawnSync(process.execPath, [launcher, '--help'], { encoding: 'utf8' });
      expect(help.status).toBe(0);
      expect(help.stdout).toContain('Usage: rapport');
      expect(help.stderr).not.toContain('building the CLI');
      expect(statSync(CLI_ENTRY).mtimeMs).toBe(built);
    });
  });

  describe('when a command is incomplete', () => {
    it('prints the help of that command and exits 2, not 0', async () => {
      const model = await rapport(['model'], env());
      expect(model.code).toBe(2);
      expect(model.stdout + model.stderr).toContain('fit');
    });
  });

  describe('when there is no event store where DATA_DIR points', () => {
    it('says so and names DATA_DIR instead of creating an empty store', async () => {
      const status = await rapport(['status'], env());
      expect(status.code).toBe(1);
      expect(status.stderr).toContain(`no event store at ${join(dir, 'data', 'events.db')}`);
      expect(status.stderr).toContain('DATA_DIR');
      expect(existsSync(join(dir, 'data', 'events.db'))).toBe(false);
    });
  });

  describe('when Kafka cannot be reached', () => {
    it('says so in one line naming the brokers, without kafkajs retry logs', async () => {
      const run = await rapport(['dlq', 'list'], { ...env(), KAFKA_BROKERS: '127.0.0.1:9' });
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('cannot reach Kafka at 127.0.0.1:9');
      expect(run.stderr).toContain('KAFKA_BROKERS');
      expect(run.stderr).not.toContain('kafkajs');
    });
  });

  describe('when the file to import is missing or not a file', () => {
    it('names the problem instead of a raw ENOENT or EISDIR', async () => {
      const missing = await rapport(['import', join(dir, 'nope.ndjson')], env());
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain('nope.ndjson: no such file');
      const directory = await rapport(['import', dir], env());
      expect(directory.code).toBe(1);
      expect(directory.stderr).toContain('is not a file');
      expect(directory.stderr).not.toContain('EISDIR');
    });
  });

  describe('when generating demo data', () => {
    it('writes byte-identical NDJSON for the same seed, and other bytes for another', async () => {
      const run = (seed: string, file: string) =>
        rapport(
          [
            'demo-data',
            '--customers',
            '60',
            '--months',
            '6',
            '--seed',
            seed,
            '--end',
            END,
            '--out',
            join(dir, file),
          ],
          env(),
        );
      expect((await run('7', 'a.ndjson')).code).toBe(0);
      expect((await run('7', 'b.ndjson')).code).toBe(0);
      expect((await run('8', 'c.ndjson')).code).toBe(0);
      const a = readFileSync(join(dir, 'a.ndjson'));
      expect(a.length).toBeGreaterThan(1_000);
      expect(a.equals(readFileSync(join(dir, 'b.ndjson')))).toBe(true);
      expect(a.equals(readFileSync(join(dir, 'c.ndjson')))).toBe(false);
    });
  });

  describe('when importing history', () => {
    it('reports bad lines with their numbers, and a re-import records nothing', async () => {
      await rapport(
        ['demo-data', '-c', '20', '-m', '6', '-s', '3', '--end', END, '-o', join(dir, 'h.ndjson')],
        env(),
      );
      const lines = readFileSync(join(dir, 'h.ndjson'), 'utf8').trimEnd().split('\n');
      const bad = [
        ...lines.slice(0, 5),
        '{not json',
        ...lines.slice(5, 10),
        JSON.stringify({ ...JSON.parse(lines[0]), touchpointId: 'x-1', channel: 'pigeon' }),
        ...lines.slice(10),
      ];
      writeFileSync(join(dir, 'in.ndjson'), bad.join('\n') + '\n');

      const first = await rapport(['import', join(dir, 'in.ndjson')], env());
      expect(first.code).toBe(4);
      expect(first.stdout).toContain(`${lines.length} recorded, 0 duplicates, 2 rejected`);
      const rejects = readFileSync(join(dir, 'in.ndjson.rejects.ndjson'), 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line));
      expect(rejects).toEqual([
        expect.objectContaining({ line: 6, reasons: [expect.stringContaining('not JSON')] }),
        expect.objectContaining({ line: 12, reasons: [expect.stringContaining('channel')] }),
      ]);

      const again = await rapport(['import', join(dir, 'in.ndjson')], env());
      expect(again.stdout).toContain(`0 recorded, ${lines.length} duplicates, 2 rejected`);
    });

    it('leaves no rejects file behind when every line was recorded', async () => {
      const file = join(dir, 'clean.ndjson');
      await rapport(
        ['demo-data', '-c', '5', '-m', '3', '-s', '4', '--end', END, '-o', file],
        env(),
      );
      const run = await rapport(['import', file], env());
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('0 rejected');
      expect(existsSync(`${file}.rejects.ndjson`)).toBe(false);
    });

    it('maps CSV columns to the touchpoint, data.<path> columns to its data', async () => {
      writeFileSync(
        join(dir, 'in.csv'),
        [
          'touchpointId,source,customerId,type,occurredAt,channel,data.orderId,data.amount.minor,data.amount.currency,data',
          'pos-1,pos,C-1001,purchase,2026-10-20T14:03:00Z,store,O-55,4999,EUR,',
          'call-1,callcentre,C-1001,call,2026-10-21T09:00:00Z,phone,,,,"{""direction"":""inbound"",""durationSeconds"":120}"',
          'pos-2,pos,C-1002,purchase,2026-10-20T14:03:00Z,store,O-56,lots,EUR,',
        ].join('\n') + '\n',
      );
      const run = await rapport(['import', join(dir, 'in.csv')], env());
      expect(run.stdout).toContain('2 recorded, 0 duplicates, 1 rejected');
      expect(readFileSync(join(dir, 'in.csv.rejects.ndjson'), 'utf8')).toContain('"line":4');
      const fit = await rapport(['model', 'fit', '--json'], env());
      expect(fit.code).toBe(0);
      // C-1002's purchase was rejected: one buyer.
      expect(JSON.parse(fit.stdout)).toMatchObject({ customers: 1 });
    });
  });

  describe('when the views are in memory', () => {
    it('refuses replay and verify with exit 5 and points to the HTTP route', async () => {
      await rapport(['demo-data', '-c', '3', '-m', '2', '--end', END, '--into-store'], env());
      const run = await rapport(['replay', '--projection', 'customer-view'], env());
      expect(run.code).toBe(5);
      expect(run.stderr).toContain('POST /v1/projections/<name>/rebuild');
      const verify = await rapport(['verify', '--projection', 'customer-view'], env());
      expect(verify.code).toBe(5);
      expect(verify.stderr).toContain('rebuild?dryRun=true');
    });
  });

  const redis = redisAvailability();
  describeIfAvailable('with views in Redis', redis, (url) => {
    let prefix: string;
    beforeEach(() => {
      prefix = uniqueRedisKeyPrefix('cli');
    });
    afterEach(() => deleteRedisNamespace(url, prefix));
    const shared = () => ({ ...env(), REDIS_URL: url, REDIS_KEY_PREFIX: prefix });

    it('replays into a new generation, verifies it, and finds a corrupted record (exit 3)', async () => {
      await rapport(
        // The history's 30 customers only: no identity stories (C-ID-…) beside them.
        [
          'demo-data',
          '-c',
          '30',
          '-m',
          '6',
          '-s',
          '5',
          '--identity-people',
          '0',
          '--end',
          END,
          '--into-store',
        ],
        shared(),
      );
      const replay = await rapport(['replay', '-p', 'all', '--grace-ms', '0'], shared());
      expect(replay.code).toBe(0);
      expect(replay.stdout).toMatch(/customer-view: replay done, generation 0 → 1/);
      expect((await rapport(['verify', '-p', 'customer-view'], shared())).code).toBe(0);
      const status = await rapport(['status'], shared());
      expect(status.stdout).toMatch(/customer-view: generation 1 \(customer-view@g1\), 30 records/);

      const client = new Redis(url);
      try {
        await client.hset(
          `${prefix}record:customer-view@g1:{C-000007}`,
          'v',
          '{"customerId":"C-000007"}',
        );
      } finally {
        await client.quit();
      }
      const verify = await rapport(['verify', '-p', 'customer-view'], shared());
      expect(verify.code).toBe(3);
      expect(verify.stdout).toContain('1 differ');
      expect(verify.stdout).toContain('C-000007: value');

      const dryRun = await rapport(['replay', '-p', 'customer-view', '--dry-run'], shared());
      expect(dryRun.code).toBe(3);
      const fixed = await rapport(['replay', '-p', 'customer-view', '--grace-ms', '0'], shared());
      expect(fixed.stdout).toMatch(/generation 1 → 2/);
      expect((await rapport(['verify', '-p', 'customer-view'], shared())).code).toBe(0);
    }, 60_000);

    it('exits 1 from status when the views were built from another event store', async () => {
      await rapport(
        ['demo-data', '-c', '5', '-m', '6', '-s', '5', '--end', END, '--into-store'],
        shared(),
      );
      expect((await rapport(['replay', '-p', 'all', '--grace-ms', '0'], shared())).code).toBe(0);
      expect((await rapport(['status'], shared())).code).toBe(0);
      const elsewhere = { ...shared(), DATA_DIR: join(dir, 'other') };
      await rapport(
        ['demo-data', '-c', '5', '-m', '6', '-s', '6', '--end', END, '--into-store'],
        elsewhere,
      );
      const status = await rapport(['status'], elsewhere);
      expect(status.code).toBe(1);
      expect(status.stdout).toContain('MISMATCH');
      expect(status.stderr).toMatch(/READ_STORE_MISMATCH: .*fix: /);
      expect((await rapport(['status', '--json'], elsewhere)).code).toBe(1);
    }, 60_000);
  });
});
