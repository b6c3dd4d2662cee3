import type { EventLoopUtilization } from 'node:perf_hooks';
import { ColdQueue, type ColdQueueClock } from './cold-queue';

interface Item {
  readonly id: number;
  readonly writtenAt: number;
}

describe('ColdQueue', () => {
  let queue: ColdQueue<Item> | undefined;
  afterEach(() => queue?.stop());

  describe('on a fake clock', () => {
    beforeEach(() => jest.useFakeTimers({ doNotFake: ['nextTick', 'queueMicrotask'] }));
    afterEach(() => jest.useRealTimers());
    const sleep = (ms: number) => jest.advanceTimersByTimeAsync(ms);

    it('hands items back oldest first, once each, only after they were left alone long enough', async () => {
      const cold: number[] = [];
      queue = new ColdQueue<Item>({ afterMs: 40, goneCold: (item) => cold.push(item.id) });
      queue.push({ id: 1, writtenAt: performance.now() });
      queue.push({ id: 2, writtenAt: performance.now() });
      await sleep(10);
      expect(cold).toEqual([]);
      await sleep(80);
      expect(cold).toEqual([1, 2]);
      expect(queue.size).toBe(0);
    });

    it('keeps a later item until its own time comes', async () => {
      const cold: number[] = [];
      queue = new ColdQueue<Item>({ afterMs: 40, goneCold: (item) => cold.push(item.id) });
      queue.push({ id: 1, writtenAt: performance.now() });
      await sleep(30);
      queue.push({ id: 2, writtenAt: performance.now() });
      await sleep(25);
      expect(cold).toEqual([1]);
      await sleep(50);
      expect(cold).toEqual([1, 2]);
    });

    it('hands nothing back once stopped', async () => {
      const cold: number[] = [];
      queue = new ColdQueue<Item>({ afterMs: 5, goneCold: (item) => cold.push(item.id) });
      queue.push({ id: 1, writtenAt: performance.now() });
      queue.stop();
      queue.push({ id: 2, writtenAt: performance.now() });
      await sleep(30);
      expect(cold).toEqual([]);
    });
  });

  /**
   * A clock for the queue on Jest's fake time plus the simulated CPU time of work done in
   * callbacks (`work`), which moves `now` without running timers, as real work would. The event
   * loop's utilization is that work's share: Jest's fake `performance` has none.
   */
  const workingClock = () => {
    let worked = 0;
    const snapshot = (): EventLoopUtilization => {
      const idle = performance.now();
      return { idle, active: worked, utilization: worked / (idle + worked || 1) };
    };
    const clock: ColdQueueClock = {
      now: () => performance.now() + worked,
      eventLoopUtilization: ((since?: EventLoopUtilization) => {
        const at = snapshot();
        if (!since) return at;
        const idle = at.idle - since.idle;
        const active = at.active - since.active;
        return { idle, active, utilization: active / (idle + active || 1) };
      }) as ColdQueueClock['eventLoopUtilization'],
    };
    return { clock, work: (ms: number) => void (worked += ms) };
  };

  describe('draining a backlog, on simulated time', () => {
    beforeEach(() => jest.useFakeTimers({ doNotFake: ['nextTick', 'queueMicrotask'] }));
    afterEach(() => jest.useRealTimers());

    /** A backlog whose every item takes `itemMs` of (simulated) CPU to hand back. */
    const busyBacklog = (
      items: number,
      itemMs: number,
      time: ReturnType<typeof workingClock>,
      options: { shareOfTime?: number; busyCeiling?: number } = {},
    ) => {
      const handedAt: number[] = [];
      queue = new ColdQueue<Item>({
        afterMs: 1,
        sliceMs: 1,
        ...options,
        clock: time.clock,
        goneCold: () => {
          time.work(itemMs);
          handedAt.push(time.clock.now());
        },
      });
      const writtenAt = time.clock.now();
      for (let id = 0; id < items; id++) queue.push({ id, writtenAt });
      return handedAt;
    };
    /** Moves fake time on until the backlog is drained; a queue that never drains fails. */
    const drained = async (handedAt: number[], items: number) => {
      for (let step = 0; handedAt.length < items; step++) {
        if (step > 100_000) throw new Error(`drained ${handedAt.length} of ${items} items`);
        await jest.advanceTimersByTimeAsync(10);
      }
    };

    it('yields to the event loop between slices of a long backlog', async () => {
      const time = workingClock();
      const handedAt = busyBacklog(200, 0.2, time, { shareOfTime: 1 });
      // A callback queued behind each slice: it runs only if the queue lets go in between.
      const ticks: number[] = [];
      const observe = () => {
        ticks.push(handedAt.length);
        if (handedAt.length < 200) setTimeout(observe, 0);
      };
      setTimeout(observe, 0);
      await drained(handedAt, 200);
      // Timers ran while the backlog drained: some saw part of it done, not none or all.
      expect(ticks.some((seen) => seen > 0 && seen < 200)).toBe(true);
    });

    it('takes no more than its share of the time while a backlog drains', async () => {
      // 100 ms of work at a share of 0.25: at least 300 ms of rest in between.
      const time = workingClock();
      const handedAt = busyBacklog(500, 0.2, time, { shareOfTime: 0.25 });
      await drained(handedAt, 500);
      const busyMs = 500 * 0.2;
      const wallMs = handedAt[handedAt.length - 1]! - handedAt[0]!;
      expect(wallMs).toBeGreaterThan(busyMs / 0.25 - 2 * busyMs * 0.25);
    });

    it('takes less while other work keeps the event loop busy', async () => {
      // Other work: 8 ms busy in every 10 ms (2 idle), well over the ceiling, so the least
      // share applies.
      const time = workingClock();
      const others = setInterval(() => time.work(8), 2);
      try {
        const handedAt = busyBacklog(100, 0.2, time, { shareOfTime: 0.5, busyCeiling: 0.6 });
        await drained(handedAt, 100);
        const busyMs = 100 * 0.2;
        const wallMs = handedAt[handedAt.length - 1]! - handedAt[0]!;
        // At its most (0.5) the backlog would drain in about 40 ms of its own; at a fiftieth,
        // its rests alone take about 1 s.
        expect(wallMs).toBeGreaterThan(busyMs / 0.04);
      } finally {
        clearInterval(others);
      }
    });
  });

  it('refuses a share of time outside (0, 1]', () => {
    for (const shareOfTime of [0, -0.5, 1.5, Number.NaN])
      expect(() => new ColdQueue<Item>({ afterMs: 1, goneCold: () => {}, shareOfTime })).toThrow(
        RangeError,
      );
    for (const busyCeiling of [0, 1.5, Number.NaN])
      expect(() => new ColdQueue<Item>({ afterMs: 1, goneCold: () => {}, busyCeiling })).toThrow(
        RangeError,
      );
  });
});
