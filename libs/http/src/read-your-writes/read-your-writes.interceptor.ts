import {
  Inject,
  Injectable,
  Optional,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import type { Observable } from 'rxjs';
import { RAPPORT_CONFIG, type RapportConfig } from '@rapport/config';
import { serviceUnavailable } from '../problem-details';
import { requestedMinPosition } from './min-position';
import { PROJECTION_PROGRESS, type ProjectionProgress } from './projection-progress.port';
import { isReadRoute } from './read-route';

/**
 * Global: a read that names a position (X-Min-Position or ?minPosition) is answered only once
 * the views include it, waiting at most READ_YOUR_WRITES_TIMEOUT_MS; otherwise 503 with
 * Retry-After. Runs after the guards, so nobody without a key can make the server wait.
 */
@Injectable()
export class ReadYourWritesInterceptor implements NestInterceptor {
  constructor(
    @Inject(RAPPORT_CONFIG) private readonly config: RapportConfig,
    @Optional() @Inject(PROJECTION_PROGRESS) private readonly progress?: ProjectionProgress,
  ) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest();
    if (!isReadRoute(request.method, request.path)) return next.handle();
    const position = requestedMinPosition(request);
    if (position === undefined || !this.progress) return next.handle();
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
    return next.handle();
  }
}
