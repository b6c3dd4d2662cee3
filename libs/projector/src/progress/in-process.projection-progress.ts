import type { Projector } from '../projector';
import type { ProjectionProgress } from './projection-progress.port';

/** What this adapter needs of the projector. */
export type LocalProjector = Pick<Projector, 'position' | 'waitFor' | 'status'>;

/** The projector runs in this process: waits on its in-memory position, no polling. */
export class InProcessProjectionProgress implements ProjectionProgress {
  constructor(private readonly projector: LocalProjector) {}

  waitFor(position: bigint, timeoutMs: number): Promise<boolean> {
    return this.projector.waitFor(position, timeoutMs);
  }

  async position(): Promise<bigint> {
    return this.projector.position;
  }

  caughtUpOnce(): boolean {
    return this.projector.status().caughtUpOnce;
  }

  parkedCustomers(): number {
    return this.projector.status().parkedCustomers;
  }
}
