import request from 'supertest';
import { sha256Hex, type ApiRole } from '@rapport/config';
import { startPlatform, type RunningPlatform } from '@rapport/test-support';

// Starting and stopping a platform takes seconds on a busy shared machine.
jest.setTimeout(60_000);

/** GET /v1/me: any key learns its own role, which the dashboard reads to offer admin actions. */
describe('GET /v1/me', () => {
  let platform: RunningPlatform;
  beforeAll(async () => {
    platform = await startPlatform();
  });
  afterAll(() => platform?.destroy());

  it.each<[ApiRole, ApiRole[]]>([
    ['analyst', ['analyst']],
    ['ingest', ['ingest']],
    // An admin key may call every route, the Segment write routes included.
    ['admin', ['analyst', 'ingest', 'admin', 'segment']],
  ])(
    'answers an %s key its id, its role and the roles whose routes it may call',
    async (role, roles) => {
      const { body } = await request(platform.url)
        .get('/v1/me')
        .set(platform.auth(role))
        .expect(200);
      expect(body).toEqual({ keyId: sha256Hex(platform.keys[role]).slice(0, 12), role, roles });
    },
  );

  it('answers 401 without a key', async () => {
    const { body } = await request(platform.url).get('/v1/me').expect(401);
    expect(body).toMatchObject({ status: 401, code: 'API_KEY_MISSING' });
  });

  it('is in the OpenAPI document, behind the key schemes', async () => {
    const { body } = await request(platform.url).get('/docs/json').expect(200);
    const operation = body.paths['/v1/me'].get;
    expect(operation.security).toEqual(expect.arrayContaining([{ bearer: [] }]));
    expect(operation.responses['200'].content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/CallerResponseDto',
    });
    expect(body.components.schemas.CallerResponseDto.required).toEqual(['keyId', 'role', 'roles']);
  });
});
