import type { Logger } from '@nestjs/common';
import { isRetryableError } from '@rapport/read-store';

/** A read-store outage pauses the job, as it pauses the live projector; anything else fails it. */
export async function retryingOutages<T>(
  operation: () => Promise<T>,
  logger: Logger,
  signal: AbortSignal | undefined,
): Promise<T> {
  let wait = 100;
  for (;;) {
    try {
      return await operation();
    } catch (error) {
      if (signal?.aborted || !isRetryableError(error)) throw error;
      logger.warn(`read store failed (${String(error)}); retrying in ${wait} ms`);
      await new Promise((resolve) => setTimeout(resolve, wait));
      wait = Math.min(wait * 2, 5_000);
    }
  }
}
