import {
  Inject,
  Injectable,
  Optional,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { RAPPORT_CONFIG, type RapportConfig } from '@rapport/config';
import { PROJECTION_PROGRESS, type ProjectionProgress } from '@rapport/projector';
import { serviceUnavailable } from '../problem-details';
import { requestedMinPosition } from './min-position';
import { isReadRoute } from './read-route';
import { readsNoView } from './reads-no-view.decorator';

/**
 * Global: a read that names a position (X-Min-Position or ?minPosition) is answered only once
 * the views include it, waiting at most READ_YOUR_WRITES_TIMEOUT_MS; otherwise 503 with
 * Retry-After. Registered after the key and rate-limit guards, so nobody without a key can make
 * the server wait. A guard rather than an interceptor: with no interceptor at all, Nest skips
 * wrapping every route in an rxjs pipeline and an async resource, a large share of a request.
 */
@Injectable()
export class ReadYourWritesGuard implements CanActivate {
  constructor(
    @Inject(RAPPORT_CONFIG) private readonly config: RapportConfig,
    private readonly reflector: Reflector,
    @Optional() @Inject(PROJECTION_PROGRESS) private readonly progress?: ProjectionProgress,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (!isReadRoute(request.method, request.url) || readsNoView(this.reflector, context))
      return true;
    const position = requestedMinPosition(request);
    if (position === undefined || !this.progress) return true;
    const timeoutMs = this.config.http.readYourWritesTimeoutMs;
    if (!(await this.progress.waitFor(position, timeoutMs))) {
      const reached = await this.progress.position();
      throw serviceUnavailable(
        `the views have not reached position ${position} within ${timeoutMs} ms (they are at ${reached}); retry later`,
        'PROJECTION_BEHIND',
        1,
        { position: reached.toString() },
      );
    }
    return true;
  }
}
