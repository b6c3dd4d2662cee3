import type { FastifyRequest } from 'fastify';
import { bodyNotReadForKey, KEY_IN_BODY_MAX_BYTES, takeKeyFromBody } from './key-in-body';

const requestWith = (headers: Record<string, string>, body?: unknown) =>
  ({ headers, body }) as unknown as FastifyRequest;

describe('a key in the body', () => {
  describe('when a request without a key in its headers asks for its body to be read', () => {
    it('reads one that declares at most KEY_IN_BODY_MAX_BYTES', () => {
      expect(
        bodyNotReadForKey(requestWith({ 'content-length': String(KEY_IN_BODY_MAX_BYTES) })),
      ).toBeUndefined();
    });

    it('reads none longer, nor one of undeclared length (chunked)', () => {
      expect(
        bodyNotReadForKey(requestWith({ 'content-length': String(KEY_IN_BODY_MAX_BYTES + 1) })),
      ).toMatch(/at most 524288 bytes \(this one declares 524289\)/);
      expect(bodyNotReadForKey(requestWith({ 'transfer-encoding': 'chunked' }))).toMatch(
        /Content-Length/,
      );
    });
  });

  describe('when the body is parsed', () => {
    it('takes the key out of it, so it is neither mapped nor stored', () => {
      const body = { writeKey: ' wk-1 ', batch: [] };
      expect(takeKeyFromBody(requestWith({}, body), 'writeKey')).toBe('wk-1');
      expect(body).toEqual({ batch: [] });
    });

    it('finds none in a body without the field, of another type, or that is no object', () => {
      expect(takeKeyFromBody(requestWith({}, { batch: [] }), 'writeKey')).toBeUndefined();
      expect(takeKeyFromBody(requestWith({}, { writeKey: 42 }), 'writeKey')).toBeUndefined();
      expect(takeKeyFromBody(requestWith({}, [{ writeKey: 'k' }]), 'writeKey')).toBeUndefined();
      expect(takeKeyFromBody(requestWith({}, 'writeKey'), 'writeKey')).toBeUndefined();
    });
  });
});
