import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { pino, type Logger } from 'pino';
import { requestInProgressMixin, requestLogging } from './request-logging.middleware';

describe('request logging', () => {
  let server: Server;
  let url: string;
  let lines: Array<Record<string, unknown>>;
  let logger: Logger;

  beforeAll(async () => {
    const stream = new PassThrough();
    stream.on('data', (chunk: Buffer) =>
      lines.push(
        ...chunk
          .toString()
          .trim()
          .split('\n')
          .map((line) => JSON.parse(line)),
      ),
    );
    logger = pino(
      {
        level: 'info',
        serializers: {
          req: (req: { id: string; method: string }) => ({ id: req.id, method: req.method }),
          res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
        },
        mixin: requestInProgressMixin,
      },
      stream,
    );
    const middleware = requestLogging(logger);
    server = createServer((request, response) =>
      middleware(request, response, async () => {
        await new Promise((resolve) => setTimeout(resolve, 1));
        if (request.url === '/inside') logger.warn('while serving');
        response.statusCode = request.url === '/missing' ? 404 : 200;
        response.end('ok');
      }),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  beforeEach(() => (lines = []));
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const logged = async () => {
    await new Promise((resolve) => setTimeout(resolve, 20));
    return lines;
  };

  it('logs a completed request with the id the caller sent', async () => {
    await fetch(`${url}/ok`, { headers: { 'X-Request-Id': 'given-1' } });
    expect(await logged()).toEqual([
      expect.objectContaining({
        level: 30,
        msg: 'request completed',
        req: { id: 'given-1', method: 'GET' },
        res: { statusCode: 200 },
        responseTime: expect.any(Number),
      }),
    ]);
  });

  it('makes up an id when the caller sent none or an odd one', async () => {
    await fetch(`${url}/ok`, { headers: { 'X-Request-Id': 'no spaces please' } });
    const [line] = await logged();
    expect((line.req as { id: string }).id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('logs a client error as a warning', async () => {
    await fetch(`${url}/missing`);
    expect(await logged()).toEqual([
      expect.objectContaining({ level: 40, res: { statusCode: 404 } }),
    ]);
  });

  it('puts the request on every line written while serving it', async () => {
    await fetch(`${url}/inside`, { headers: { 'X-Request-Id': 'given-2' } });
    logger.warn('between requests');
    const [inside, completed, between] = await logged();
    expect(inside).toMatchObject({ msg: 'while serving', req: { id: 'given-2', method: 'GET' } });
    expect(completed).toMatchObject({ msg: 'request completed', req: { id: 'given-2' } });
    expect(between).toMatchObject({ msg: 'between requests' });
    expect(between).not.toHaveProperty('req');
  });
});
