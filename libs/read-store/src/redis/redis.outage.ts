import { ReadStoreUnavailableError } from '../read-store.errors';

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/** Replies a healthy server gives while it loads, fails over or is short of memory. */
const TRANSIENT_REPLY = /^(LOADING|BUSY|TRYAGAIN|CLUSTERDOWN|MASTERDOWN|READONLY|OOM)\b/;

const CLIENT_OUTAGE_MESSAGES = [
  'Connection is closed.',
  "Stream isn't writeable",
  'Command timed out',
  'Reached the max retries per request limit',
];

/** Whether an ioredis error means "Redis is away for now" rather than "this call is wrong". */
export function isRedisOutage(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error instanceof ReadStoreUnavailableError) return true;
  const code = (error as NodeJS.ErrnoException).code;
  if (code !== undefined && NETWORK_CODES.has(code)) return true;
  if (error.name === 'MaxRetriesPerRequestError') return true;
  if (TRANSIENT_REPLY.test(error.message)) return true;
  return CLIENT_OUTAGE_MESSAGES.some((message) => error.message.startsWith(message));
}

/** Outages become the port's retryable error; anything else keeps its own type and reason. */
export function toReadStoreError(error: unknown, operation: string): unknown {
  if (error instanceof ReadStoreUnavailableError || !isRedisOutage(error)) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new ReadStoreUnavailableError(`redis read store: ${operation} failed: ${reason}`, {
    cause: error,
  });
}
