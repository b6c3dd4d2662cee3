import { applyDecorators, SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';
import { ApiExtension } from '@nestjs/swagger';

const READS_NO_VIEW = 'rapport:reads-no-view';
/** How the mark shows in the OpenAPI document until the setup reads and removes it. */
export const READS_NO_VIEW_EXTENSION = 'x-rapport-reads-no-view';

/**
 * Marks a GET route under /v1 that answers from no view (GET /v1/me reads only the caller's
 * key): it neither waits for X-Min-Position nor answers 503 while the read store is refused or
 * rebuilding, and the OpenAPI document does not offer X-Min-Position on it.
 */
export const ReadsNoView = (): MethodDecorator & ClassDecorator =>
  applyDecorators(SetMetadata(READS_NO_VIEW, true), ApiExtension(READS_NO_VIEW_EXTENSION, true));

/** Whether the route the request reached is marked @ReadsNoView(), on itself or its controller. */
export function readsNoView(reflector: Reflector, context: ExecutionContext): boolean {
  return (
    reflector.getAllAndOverride<boolean | undefined>(READS_NO_VIEW, [
      context.getHandler(),
      context.getClass(),
    ]) === true
  );
}
