import type { ReadStore } from '@rapport/read-store';
import type { ProjectionProgress } from './projection-progress.port';

export interface CheckpointPollingOptions {
  /** Name of the projector's checkpoint in the read store. */
  readonly checkpoint: string;
  readonly pollIntervalMs: number;
}

/**
 * The projector runs in another process: its checkpoint in the read store is written after
 * each batch, together with (never before) the records of that batch, so a checkpoint at or
 * past a position means the views include it.
 */
export class CheckpointProjectionProgress implements ProjectionProgress {
  constructor(
    private readonly readStore: Pick<ReadStore, 'getCheckpoint'>,
    private readonly options: CheckpointPollingOptions = {
      checkpoint: 'projector',
      pollIntervalMs: 50,
    },
  ) {}

  async waitFor(position: bigint, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if ((await this.position()) >= position) return true;
      const left = deadline - Date.now();
      if (left <= 0) return false;
      await new Promise((resolve) =>
        setTimeout(resolve, Math.min(this.options.pollIntervalMs, left)),
      );
    }
  }

  async position(): Promise<bigint> {
    return (await this.readStore.getCheckpoint(this.options.checkpoint)) ?? -1n;
  }

  caughtUpOnce(): undefined {
    return undefined;
  }

  parkedCustomers(): undefined {
    return undefined;
  }
}
