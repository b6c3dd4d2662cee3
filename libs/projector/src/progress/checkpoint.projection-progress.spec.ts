import { CheckpointProjectionProgress } from './checkpoint.projection-progress';

describe('waiting on the checkpoint of a projector in another process', () => {
  const store = (positions: Array<bigint | undefined>) => {
    let reads = 0;
    return {
      getCheckpoint: async () => positions[Math.min(reads++, positions.length - 1)],
    };
  };
  const options = { checkpoint: 'projector', pollIntervalMs: 5 };

  it('answers -1 before the first checkpoint', async () => {
    await expect(
      new CheckpointProjectionProgress(store([undefined]), options).position(),
    ).resolves.toBe(-1n);
  });

  it('resolves true once the checkpoint reaches the position', async () => {
    const progress = new CheckpointProjectionProgress(store([1n, 3n, 7n]), options);
    await expect(progress.waitFor(5n, 1_000)).resolves.toBe(true);
  });

  it('resolves false when the checkpoint stays behind until the timeout', async () => {
    const progress = new CheckpointProjectionProgress(store([1n]), options);
    const started = Date.now();
    await expect(progress.waitFor(5n, 60)).resolves.toBe(false);
    expect(Date.now() - started).toBeGreaterThanOrEqual(55);
  });

  it('does not know whether a projector elsewhere has caught up', () => {
    expect(new CheckpointProjectionProgress(store([1n]), options).caughtUpOnce()).toBeUndefined();
  });
});
