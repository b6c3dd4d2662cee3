import type { ProjectionProgress } from './projection-progress.port';

/** What this adapter needs of a projector (structurally: libs/projector's Projector). */
export interface LocalProjector {
  readonly position: bigint;
  waitFor(position: bigint, timeoutMs: number): Promise<boolean>;
  status(): { readonly caughtUpOnce: boolean; readonly parkedCustomers: number };
}

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
