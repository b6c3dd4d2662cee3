import { sha256Hex } from '@rapport/config';
import { ApiKeyAuthenticator, roleAllows } from './api-key.authenticator';
import { presentedApiKey } from './api-key.credentials';

describe('API key authentication', () => {
  const key = (plain: string, role: 'analyst' | 'ingest' | 'admin') => ({
    id: sha256Hex(plain).slice(0, 12),
    role,
    sha256: sha256Hex(plain),
  });
  const authenticator = new ApiKeyAuthenticator([
    key('analyst-key-000000000000', 'analyst'),
    key('admin-key-00000000000000', 'admin'),
  ]);

  it('knows a key by its hash and answers its role', () => {
    expect(authenticator.authenticate('analyst-key-000000000000')).toEqual({
      id: sha256Hex('analyst-key-000000000000').slice(0, 12),
      role: 'analyst',
    });
    expect(authenticator.authenticate('admin-key-00000000000000')?.role).toBe('admin');
  });

  it('knows no other key, however close', () => {
    expect(authenticator.authenticate('analyst-key-000000000001')).toBeUndefined();
    expect(authenticator.authenticate('')).toBeUndefined();
    expect(authenticator.authenticate(sha256Hex('analyst-key-000000000000'))).toBeUndefined();
  });

  it('lets admin do everything and the others only what the route names', () => {
    expect(roleAllows('admin', ['ingest'])).toBe(true);
    expect(roleAllows('analyst', ['analyst'])).toBe(true);
    expect(roleAllows('ingest', ['analyst'])).toBe(false);
    expect(roleAllows('analyst', ['admin'])).toBe(false);
  });

  it('takes the key from a bearer token, else from X-API-Key', () => {
    expect(presentedApiKey({ authorization: 'Bearer abc' })).toBe('abc');
    expect(presentedApiKey({ authorization: 'bearer   abc' })).toBe('abc');
    expect(presentedApiKey({ 'x-api-key': 'xyz' })).toBe('xyz');
    expect(presentedApiKey({ authorization: 'Basic dXNlcg==' })).toBeUndefined();
  });

  it('takes a Segment write key from HTTP Basic as the user name, whatever the password', () => {
    const basic = (credentials: string) => `Basic ${Buffer.from(credentials).toString('base64')}`;
    expect(presentedApiKey({ authorization: basic('write-key-0123456789abcdef:') })).toBe(
      'write-key-0123456789abcdef',
    );
    expect(presentedApiKey({ authorization: basic('write-key-0123456789abcdef:x') })).toBe(
      'write-key-0123456789abcdef',
    );
    expect(presentedApiKey({ authorization: basic(':no-user') })).toBeUndefined();
    expect(presentedApiKey({ authorization: 'Basic not base64!' })).toBeUndefined();
    expect(presentedApiKey({})).toBeUndefined();
  });
});
