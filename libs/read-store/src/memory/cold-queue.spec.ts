import { ColdQueue } from './cold-queue';

interface Item {
  readonly id: number;
  readonly writtenAt: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('ColdQueue', () => {
  let queue: ColdQueue<Item> | undefined;
  afterEach(() => queue?.stop());

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

  it('yields to the event loop between slices of a long backlog', async () => {
    let handed = 0;
    queue = new ColdQueue<Item>({
      afterMs: 1,
      sliceMs: 1,
      goneCold: () => {
        handed += 1;
        const until = performance.now() + 0.2;
        while (performance.now() < until);
      },
    });
    const writtenAt = performance.now();
    for (let id = 0; id < 200; id++) queue.push({ id, writtenAt });
    const ticks: number[] = [];
    const interval = setInterval(() => ticks.push(handed), 0);
    await sleep(200);
    clearInterval(interval);
    expect(handed).toBe(200);
    // Timers ran while the backlog drained: some saw part of it done, not none or all.
    expect(ticks.some((seen) => seen > 0 && seen < 200)).toBe(true);
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
