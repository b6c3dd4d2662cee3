import {
  Inject,
  Injectable,
  Optional,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { STORE_BINDING, type StoreBindingMonitor } from '@rapport/projector';
import { serviceUnavailable } from '../problem-details';
import { isReadRoute } from '../read-your-writes/read-route';
import { readsNoView } from '../read-your-writes/reads-no-view.decorator';

/**
 * Global: while the read store belongs to another event store (READ_STORE_MISMATCH=rebuild
 * lets the app start so) or is being rebuilt from this one, reads answer 503 with the reason
 * instead of another store's views. Writes go on: they go to the event store. The status is
 * cached (StoreBindingMonitor), so a read costs no round trip for it; where the stores do not
 * answer, the read itself says so.
 */
@Injectable()
export class StoreBindingGuard implements CanActivate {
  constructor(
    @Optional() @Inject(STORE_BINDING) private readonly binding?: StoreBindingMonitor,
    private readonly reflector: Reflector = new Reflector(),
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (!this.binding || context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    if (!isReadRoute(request.method, request.url) || readsNoView(this.reflector, context))
      return true;
    const status = await this.binding.status().catch(() => undefined);
    if (status?.state === 'mismatch' || status?.state === 'rebuilding')
      throw serviceUnavailable(status.message ?? status.state, 'READ_STORE_MISMATCH', 5);
    return true;
  }
}
