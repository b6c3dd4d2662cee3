import { signWebhook, verifyWebhook } from './webhook-signature';

const SECRET = 'whsec-0123456789abcdef';
const BODY = '{"id":"s-1","rule":"thank-you"}';

describe('webhook signature', () => {
  it('when the receiver checks a fresh request with the shared secret, then it verifies', () => {
    const header = signWebhook(SECRET, 1_800_000_000, BODY);
    expect(header).toMatch(/^t=1800000000,v1=[0-9a-f]{64}$/);
    expect(verifyWebhook(SECRET, header, BODY, 1_800_000_030)).toEqual({
      ok: true,
      timestampSeconds: 1_800_000_000,
    });
  });

  it('when the body, the secret or the timestamp was changed, then it does not verify', () => {
    const header = signWebhook(SECRET, 1_800_000_000, BODY);
    expect(verifyWebhook(SECRET, header, BODY.replace('s-1', 's-2'), 1_800_000_000)).toEqual({
      ok: false,
      reason: 'signature does not match the body',
    });
    expect(verifyWebhook('another-secret-000000', header, BODY, 1_800_000_000).ok).toBe(false);
    const moved = header.replace('t=1800000000', 't=1800000100');
    expect(verifyWebhook(SECRET, moved, BODY, 1_800_000_100).ok).toBe(false);
  });

  it('when a recorded request is replayed after the tolerance, then it is refused', () => {
    const header = signWebhook(SECRET, 1_800_000_000, BODY);
    expect(verifyWebhook(SECRET, header, BODY, 1_800_000_301)).toEqual({
      ok: false,
      reason: 'timestamp 1800000000 is outside the tolerance',
    });
  });

  it('when the header is missing or malformed, then it says so', () => {
    expect(verifyWebhook(SECRET, undefined, BODY, 0).ok).toBe(false);
    expect(verifyWebhook(SECRET, 't=abc,v1=zz', BODY, 0)).toEqual({
      ok: false,
      reason: 'malformed rapport-signature header',
    });
  });
});
