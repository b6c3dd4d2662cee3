import Fastify, { type FastifyInstance } from 'fastify';
import { acceptJsonBodiesOnly } from './json-bodies';
import { MAX_JSON_NESTING } from './json/json-nesting';
import { answerWithProblem } from './problem-details.filter';

describe('JSON request bodies', () => {
  let server: FastifyInstance;
  let parses: jest.SpyInstance;

  beforeEach(async () => {
    server = Fastify({ bodyLimit: 6 * 1024 * 1024 });
    acceptJsonBodiesOnly(server);
    server.setErrorHandler((error, request, reply) => answerWithProblem(error, request, reply));
    server.post('/', async (request) => ({ got: request.body }));
    await server.ready();
    parses = jest.spyOn(JSON, 'parse');
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    await server.close();
  });

  const post = (payload: string | Buffer) =>
    server.inject({
      method: 'POST',
      url: '/',
      headers: { 'content-type': 'application/json' },
      payload,
    });
  /** Parses of the body itself: the test's own JSON.parse of the answer is not one. */
  const bodyParses = (body: string | Buffer) =>
    parses.mock.calls.filter(([text]) => text === String(body)).length;

  it('parses a body once', async () => {
    const body = '{"a":[1,2,{"b":"c"}]}';
    const response = await post(body);
    expect(response.json()).toEqual({ got: { a: [1, 2, { b: 'c' }] } });
    expect(bodyParses(body)).toBe(1);
  });

  it('explains malformed JSON from the one parse that failed', async () => {
    const body = '{"touchpointId": ';
    const response = await post(body);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({
      code: 'MALFORMED_JSON',
      detail: expect.stringMatching(/^the request body is not valid JSON: .*JSON/),
    });
    expect(bodyParses(body)).toBe(1);
  });

  it('refuses prototype keys, escaped ones too, after one parse', async () => {
    for (const body of [
      '{"__proto__": {"polluted": true}}',
      '[{"a": {"\\u005f_proto__": 1}}]',
      '{"constructor": {"prototype": {"polluted": true}}}',
    ]) {
      const response = await post(body);
      expect({ body, status: response.statusCode }).toEqual({ body, status: 400 });
      expect(response.json().detail).toMatch(/__proto__ or constructor\.prototype/);
      expect(bodyParses(body)).toBe(1);
    }
    expect(Object.prototype).not.toHaveProperty('polluted');
    expect((await post('{"constructor": "a name", "prototype": 1}')).statusCode).toBe(200);
  });

  it('refuses a body nested too deep without parsing it, saying where', async () => {
    const body = '['.repeat(5 * 1024 * 1024);
    const response = await post(body);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({
      code: 'JSON_TOO_DEEP',
      detail: expect.stringContaining(
        `deeper than ${MAX_JSON_NESTING} levels (at byte ${MAX_JSON_NESTING})`,
      ),
    });
    expect(bodyParses(body)).toBe(0);
  });

  it('says an empty body and bytes that are not UTF-8 are not JSON', async () => {
    expect((await post('  ')).json().detail).toMatch(/it is empty/);
    expect((await post(Buffer.from([0x7b, 0xff]))).json().detail).toMatch(/not UTF-8/);
  });
});
