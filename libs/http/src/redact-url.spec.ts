import { redactUrl } from './redact-url';

describe('redactUrl', () => {
  it('keeps paths without personal data as they are', () => {
    expect(redactUrl('/v1/customers/C-1001/timeline')).toBe('/v1/customers/C-1001/timeline');
  });

  it('replaces every query value and keeps the names', () => {
    expect(redactUrl('/v1/customers?email=jane%40example.com&limit=5')).toBe(
      '/v1/customers?email=[redacted]&limit=[redacted]',
    );
  });

  it('replaces path segments that are email addresses or phone numbers', () => {
    expect(redactUrl('/v1/customers/jane@example.com')).toBe('/v1/customers/[redacted]');
    expect(redactUrl('/v1/customers/jane%40example.com/timeline')).toBe(
      '/v1/customers/[redacted]/timeline',
    );
    expect(redactUrl('/v1/customers/+49%20151%201234567')).toBe('/v1/customers/[redacted]');
  });

  it('drops fragments and survives malformed escapes', () => {
    expect(redactUrl('/a/%E0%A4%A?x=1#frag')).toBe('/a/%E0%A4%A?x=[redacted]');
  });
});
