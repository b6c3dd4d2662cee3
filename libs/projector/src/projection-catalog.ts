import { customerViewProjection, type Projection } from '@rapport/projections';
import { signalFactsProjection } from '@rapport/signals';

/** The live projector of this process, where there is one (the platform, the projector app). */
export const PROJECTOR = Symbol('PROJECTOR');

/** Every projection the platform maintains, by the name its views and rebuilds go by. */
export const PROJECTIONS: readonly Projection<unknown>[] = [
  customerViewProjection as Projection<unknown>,
  signalFactsProjection as Projection<unknown>,
];

export function projectionNamed(name: string): Projection<unknown> | undefined {
  return PROJECTIONS.find((projection) => projection.name === name);
}
