import { Injectable, type ExecutionContext } from '@nestjs/common';
import { ThrottlerGuard, type ThrottlerLimitDetail } from '@nestjs/throttler';
import type { AuthenticatedRequest } from '../auth/api-key.guard';
import { tooManyRequests } from '../problem-details';

/**
 * Limits per API key (the key guard runs first and names it), so analysts behind one NAT don't
 * share a budget. Requests without a valid key never get this far: authenticateFirst refuses
 * them against a budget per address (UnauthenticatedRateLimit). The count is per process.
 */
@Injectable()
export class ApiKeyThrottlerGuard extends ThrottlerGuard {
  protected override async getTracker(
    request: AuthenticatedRequest & { ip?: string },
  ): Promise<string> {
    return request.apiKey ? `key:${request.apiKey.id}` : `ip:${request.ip ?? 'unknown'}`;
  }

  protected override async throwThrottlingException(
    _context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    throw tooManyRequests(detail.timeToBlockExpire);
  }
}
