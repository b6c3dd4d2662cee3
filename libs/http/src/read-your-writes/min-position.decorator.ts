import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { requestedMinPosition } from './min-position';

/**
 * The position a read asked for (X-Min-Position or ?minPosition), for handlers that answer
 * from something other than the per-customer views (an insights snapshot) and must check that
 * it covers the position too: the global guard only waits for the projector.
 */
export const MinPosition = createParamDecorator(
  (_: unknown, context: ExecutionContext): bigint | undefined =>
    requestedMinPosition(context.switchToHttp().getRequest<FastifyRequest>()),
);
