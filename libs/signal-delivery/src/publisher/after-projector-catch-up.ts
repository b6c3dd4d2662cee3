import type { ProjectionProgress } from '@rapport/projector';

/**
 * When signal derivation may start: once a projector running in this process has caught up
 * with the store since it started. Both catch-ups at once share the same cores, so readiness
 * (which waits for the projector's) came later; derivation reads only what the projector has
 * applied, so it loses nothing by waiting. Undefined (start at once) where the projector runs
 * elsewhere and its catch-up cannot be seen.
 */
export function afterProjectorCatchUp(
  progress: Pick<ProjectionProgress, 'caughtUpOnce'> | undefined,
): (() => boolean) | undefined {
  if (progress?.caughtUpOnce() === undefined) return undefined;
  return () => progress.caughtUpOnce() === true;
}
