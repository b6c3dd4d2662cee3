/**
 * The read store could not be reached or did not answer in time. Retry the same call later:
 * every write is guarded by the record's position, so repeating one is harmless.
 */
export class ReadStoreUnavailableError extends Error {
  readonly code = 'READ_STORE_UNAVAILABLE';
  readonly retryable = true;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ReadStoreUnavailableError';
  }
}

/** Whether an error says of itself that repeating the same call may succeed. */
export function isRetryableError(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { retryable?: unknown }).retryable === true
  );
}
