import { Controller, Get, Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { csvFile } from './csv.export';

const columns = [{ header: 'n', value: (row: number) => `row ${row} ${'x'.repeat(100)}` }];

function* rows(count: number, failAfter = Number.POSITIVE_INFINITY): Generator<number> {
  for (let n = 0; n < count; n++) {
    if (n === failAfter) throw new Error('the source failed');
    yield n;
  }
}

@Controller()
class ExportController {
  @Get('whole')
  whole() {
    return csvFile('whole.csv', columns, rows(5_000));
  }

  /** Fails after about 1 MB: well after the first chunk and the headers have gone out. */
  @Get('broken')
  broken() {
    return csvFile('broken.csv', columns, rows(20_000, 10_000));
  }
}

@Module({ controllers: [ExportController] })
class ExportModule {}

describe('csvFile over Fastify', () => {
  let app: INestApplication;
  let url: string;

  beforeAll(async () => {
    app = await NestFactory.create(ExportModule, new FastifyAdapter(), { logger: false });
    await app.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
  });
  afterAll(() => app.close());

  it('streams every row with the CSV headers', async () => {
    const response = await fetch(`${url}/whole`);
    expect(response.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="whole.csv"');
    const lines = (await response.text()).trimEnd().split('\r\n');
    expect(lines).toHaveLength(5_001);
    expect(lines[5_000]).toMatch(/^row 4999 /);
  });

  it('cuts the connection when the source fails halfway, so nobody takes the part for a whole', async () => {
    const response = await fetch(`${url}/broken`);
    expect(response.status).toBe(200);
    await expect(response.text()).rejects.toThrow();
  });
});
