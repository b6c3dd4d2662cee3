import { PassThrough } from 'node:stream';
import { fastify, type FastifyInstance } from 'fastify';
import { pino, type Logger } from 'pino';
import { logRequests, requestIdOf, requestInProgressMixin } from './request-logging';

describe('request logging', () => {
  let server: FastifyInstance;
  let url: string;
  let lines: Array<Record<string, unknown>>;
  let logger: Logger;
  /** A test waiting for its lines: resolved by the line that makes `count`. */
  let waiting: { readonly count: number; readonly resolve: () => void } | undefined;

  beforeAll(async () => {
    const stream = new PassThrough();
    stream.on('data', (chunk: Buffer) => {
      lines.push(
        ...chunk
          .toString()
          .trim()
          .split('\n')
          .map((line) => JSON.parse(line)),
      );
      if (waiting && lines.length >= waiting.count) waiting.resolve();
    });
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
    server = fastify({ genReqId: requestIdOf });
    logRequests(server, logger);
    const inside = async () => {
      // A turn of the event loop between the request and the line: the request must survive it.
      await new Promise((resolve) => setImmediate(resolve));
      logger.warn('while serving');
      return 'ok';
    };
    server.get('/ok', async () => 'ok');
    server.get('/failing', async (_, reply) => reply.code(500).send('broken'));
    server.get('/unavailable', async (_, reply) => reply.code(503).send('not ready'));
    server.get('/inside', inside);
    server.post('/inside', inside);
    await server.listen({ port: 0, host: '127.0.0.1' });
    const { port } = server.server.address() as { port: number };
    url = `http://127.0.0.1:${port}`;
  });
  beforeEach(() => (lines = []));
  afterAll(() => server.close());

  /** The lines once `count` were written: the response's line may follow the reply. */
  const logged = async (count = 1) => {
    if (lines.length < count)
      await new Promise<void>((resolve) => {
        waiting = { count, resolve };
      });
    waiting = undefined;
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

  it('logs a server error as an error, and 503 (come back later) as a warning', async () => {
    await fetch(`${url}/failing`);
    await fetch(`${url}/unavailable`);
    expect(await logged(2)).toEqual([
      expect.objectContaining({ level: 50, msg: 'request errored', res: { statusCode: 500 } }),
      expect.objectContaining({ level: 40, msg: 'service unavailable', res: { statusCode: 503 } }),
    ]);
  });

  it('puts the request on every line written while serving it', async () => {
    await fetch(`${url}/inside`, { headers: { 'X-Request-Id': 'given-2' } });
    logger.warn('between requests');
    const [inside, completed, between] = await logged(3);
    expect(inside).toMatchObject({ msg: 'while serving', req: { id: 'given-2', method: 'GET' } });
    expect(completed).toMatchObject({ msg: 'request completed', req: { id: 'given-2' } });
    expect(between).toMatchObject({ msg: 'between requests' });
    expect(between).not.toHaveProperty('req');
  });

  it('keeps the request on the lines of a handler that ran after reading a body', async () => {
    await fetch(`${url}/inside`, {
      method: 'POST',
      headers: { 'X-Request-Id': 'given-3', 'content-type': 'application/json' },
      body: JSON.stringify({ padding: 'x'.repeat(200_000) }),
    });
    const [inside] = await logged();
    expect(inside).toMatchObject({ msg: 'while serving', req: { id: 'given-3', method: 'POST' } });
  });
});
