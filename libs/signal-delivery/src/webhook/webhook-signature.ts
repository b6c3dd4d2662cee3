import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header that carries the timestamp and the signature: `t=<unix seconds>,v1=<hex>`. */
export const WEBHOOK_SIGNATURE_HEADER = 'rapport-signature';
/** The signal id: a receiver that saw it before has the signal already (at-least-once delivery). */
export const WEBHOOK_IDEMPOTENCY_HEADER = 'idempotency-key';

/**
 * HMAC-SHA256 over `<timestamp>.<body>` with the shared secret, as Stripe signs its webhooks: the
 * timestamp is signed with the body, so a receiver that refuses old timestamps cannot be fed a
 * recorded request again later, and one that checks the signature knows the body is ours.
 */
export function signWebhook(secret: string, timestampSeconds: number, body: string): string {
  return `t=${timestampSeconds},v1=${hmac(secret, timestampSeconds, body)}`;
}

export type WebhookVerification =
  | { readonly ok: true; readonly timestampSeconds: number }
  | { readonly ok: false; readonly reason: string };

/**
 * What a receiver does with the header: the signature must match the body byte for byte, and
 * the timestamp be within `toleranceSeconds` of its own clock (replays of old requests fail).
 */
export function verifyWebhook(
  secret: string,
  header: string | undefined,
  body: string,
  nowSeconds: number,
  toleranceSeconds = 300,
): WebhookVerification {
  const parts = new Map(
    (header ?? '').split(',').map((part) => {
      const at = part.indexOf('=');
      return [part.slice(0, at).trim(), part.slice(at + 1).trim()] as const;
    }),
  );
  const timestamp = Number(parts.get('t'));
  const given = parts.get('v1');
  if (!Number.isSafeInteger(timestamp) || !given || !/^[0-9a-f]{64}$/.test(given))
    return { ok: false, reason: `malformed ${WEBHOOK_SIGNATURE_HEADER} header` };
  if (Math.abs(nowSeconds - timestamp) > toleranceSeconds)
    return { ok: false, reason: `timestamp ${timestamp} is outside the tolerance` };
  const expected = Buffer.from(hmac(secret, timestamp, body), 'hex');
  if (!timingSafeEqual(expected, Buffer.from(given, 'hex')))
    return { ok: false, reason: 'signature does not match the body' };
  return { ok: true, timestampSeconds: timestamp };
}

function hmac(secret: string, timestampSeconds: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestampSeconds}.${body}`, 'utf8').digest('hex');
}
