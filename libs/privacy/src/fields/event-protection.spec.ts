import { keyedHash } from './keyed-hash';
import {
  ERASED_VALUE,
  EnvelopeUnreadableError,
  isEnvelope,
  openField,
  sealField,
} from './field-cipher';
import { plainPersonalFields, revealPersonalData, sealPersonalData } from './event-protection';
import { newDataKey } from '../keys/new-data-key';

const visit = {
  customerId: 'C-1',
  touchpointId: 'w-1',
  occurredAt: '2026-11-01T09:00:00.000Z',
  channel: 'web',
  url: 'https://shop.test/account?email=jane.doe%40mailbox.test',
  sessionId: 'anon-7781',
  durationSeconds: 30,
};

describe('when personal fields are sealed', () => {
  const key = newDataKey();
  const sealed = sealPersonalData('event-1', 'WebVisitRecorded', visit, key);

  it('replaces each of them with an envelope and leaves the other facts readable', () => {
    expect(isEnvelope(sealed.url)).toBe(true);
    expect(isEnvelope(sealed.sessionId)).toBe(true);
    expect(sealed).toMatchObject({
      customerId: 'C-1',
      touchpointId: 'w-1',
      occurredAt: visit.occurredAt,
      channel: 'web',
      durationSeconds: 30,
    });
    expect(JSON.stringify(sealed)).not.toContain('jane.doe');
    expect(JSON.stringify(sealed)).not.toContain('anon-7781');
    expect(plainPersonalFields('WebVisitRecorded', sealed)).toEqual([]);
  });

  it('opens them again with the same key', () => {
    const revealed = revealPersonalData('event-1', 'WebVisitRecorded', sealed, key);
    expect(revealed).toEqual({ data: visit, erased: 0, plain: 0 });
  });

  it('reads them as erased once the key is gone, or replaced by a new one', () => {
    for (const k of [undefined, newDataKey()]) {
      const revealed = revealPersonalData('event-1', 'WebVisitRecorded', sealed, k);
      expect(revealed.data).toEqual({ ...visit, url: ERASED_VALUE, sessionId: ERASED_VALUE });
      expect(revealed.erased).toBe(2);
    }
  });

  it('refuses an envelope moved to another event or field (associated data)', () => {
    const envelope = sealField(key, 'event-1/data/url', 'x');
    expect(() => openField(key, 'event-2/data/url', envelope)).toThrow(EnvelopeUnreadableError);
    expect(() => openField(key, 'event-1/data/referrer', envelope)).toThrow(
      EnvelopeUnreadableError,
    );
    expect(openField(key, 'event-1/data/url', envelope)).toBe('x');
  });

  it('seals all of them in one envelope (v2), the others naming it with the key id', () => {
    expect(String(sealed.url)).toMatch(/^enc:v2:[0-9a-f-]{36}:[A-Za-z0-9_-]{40,}$/);
    expect(sealed.sessionId).toBe(`enc:v2:${key.keyId}:@url`);
  });

  it('refuses a v2 envelope moved to another event', () => {
    const moved = { ...sealed };
    expect(() => revealPersonalData('event-2', 'WebVisitRecorded', moved, key)).toThrow(
      EnvelopeUnreadableError,
    );
  });

  it('refuses a reference whose envelope is gone from the event', () => {
    const { url: _url, ...withoutEnvelope } = sealed;
    expect(() => revealPersonalData('event-1', 'WebVisitRecorded', withoutEnvelope, key)).toThrow(
      /event-1\/data cannot be read: sessionId is not in it/,
    );
  });

  it('still opens events sealed field by field (v1), as stores written before hold them', () => {
    const v1 = {
      ...visit,
      url: sealField(key, 'event-1/data/url', visit.url),
      sessionId: sealField(key, 'event-1/data/sessionId', visit.sessionId),
    };
    expect(String(v1.url)).toMatch(/^enc:v1:/);
    expect(revealPersonalData('event-1', 'WebVisitRecorded', v1, key)).toEqual({
      data: visit,
      erased: 0,
      plain: 0,
    });
    expect(revealPersonalData('event-1', 'WebVisitRecorded', v1, undefined).data).toEqual(
      revealPersonalData('event-1', 'WebVisitRecorded', sealed, undefined).data,
    );
  });

  it('leaves events without personal fields as they are (the same object)', () => {
    const purchase = {
      customerId: 'C-1',
      orderId: 'O-1',
      amount: { minor: 4999, currency: 'EUR' },
    };
    expect(sealPersonalData('e', 'PurchaseCompleted', purchase, key)).toBe(purchase);
  });

  it('counts plain personal fields found on read (written before encryption)', () => {
    expect(revealPersonalData('event-1', 'WebVisitRecorded', visit, key).plain).toBe(2);
  });
});

describe('when identifiers are hashed for matching', () => {
  it('matches the same identifier under one key, whatever its case and spaces', () => {
    const key = newDataKey();
    expect(keyedHash(key, 'email', ' Jane@Mailbox.test')).toBe(
      keyedHash(key, 'email', 'jane@mailbox.test'),
    );
  });

  it('no longer matches once the key is replaced (erased with the customer)', () => {
    expect(keyedHash(newDataKey(), 'email', 'jane@mailbox.test')).not.toBe(
      keyedHash(newDataKey(), 'email', 'jane@mailbox.test'),
    );
  });
});
