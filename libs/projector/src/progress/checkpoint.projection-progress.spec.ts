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

  // The polling waits on timers: the tests move a fake clock (Date included) instead of sleeping.
  beforeEach(() => jest.useFakeTimers({ now: 0 }));
  afterEach(() => jest.useRealTimers());

  /** Whether a promise has settled by now, without waiting for it. */
  const settled = async <T>(promise: Promise<T>) => {
    let answer: { value: T } | undefined;
    void promise.then((value) => (answer = { value }));
    await jest.advanceTimersByTimeAsync(0);
    return answer;
  };

  it('resolves true once the checkpoint reaches the position, polling until it does', async () => {
    const progress = new CheckpointProjectionProgress(store([1n, 3n, 7n]), options);
    const waiting = progress.waitFor(5n, 1_000);
    expect(await settled(waiting)).toBeUndefined();
    await jest.advanceTimersByTimeAsync(5);
    expect(await settled(waiting)).toBeUndefined();
    await jest.advanceTimersByTimeAsync(5);
    expect(await settled(waiting)).toEqual({ value: true });
  });

  it('resolves false when the checkpoint stays behind until the timeout, not before', async () => {
    const progress = new CheckpointProjectionProgress(store([1n]), options);
    const waiting = progress.waitFor(5n, 60);
    await jest.advanceTimersByTimeAsync(59);
    expect(await settled(waiting)).toBeUndefined();
    await jest.advanceTimersByTimeAsync(1);
    expect(await settled(waiting)).toEqual({ value: false });
  });

  it('does not know whether a projector elsewhere has caught up', () => {
    expect(new CheckpointProjectionProgress(store([1n]), options).caughtUpOnce()).toBeUndefined();
  });
});
