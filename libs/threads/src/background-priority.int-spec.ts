import { readFileSync } from 'node:fs';
import {
  BACKGROUND_NICE_BY,
  backgroundSchedulingFor,
  parseThreadScheduling,
} from './background-priority';

// A real worker thread that compiles its sources first: the integration tier, not the unit one.
describe('runThisThreadInBackground, on a worker thread', () => {
  it('moves that thread only: the process main thread keeps its scheduling', async () => {
    const { Worker } = await import('node:worker_threads');
    const worker = new Worker(
      `require('ts-node/register/transpile-only');
       const { parentPort } = require('node:worker_threads');
       const { readlinkSync } = require('node:fs');
       const { runThisThreadInBackground } = require(${JSON.stringify(require.resolve('./background-priority'))});
       const moved = runThisThreadInBackground();
       const task = readlinkSync('/proc/thread-self');
       parentPort.postMessage({ moved, tid: task.slice(task.lastIndexOf('/') + 1) });
`,
      { eval: true },
    );
    const { moved, tid } = await new Promise<{
      moved: { moved: boolean; description: string };
      tid: string;
    }>((resolve) => worker.once('message', resolve));
    const niceOf = (stat: string) =>
      Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19 - 3]);
    const main = readFileSync(`/proc/${process.pid}/stat`, 'utf8');
    const background = readFileSync(`/proc/${process.pid}/task/${tid}/stat`, 'utf8');
    await worker.terminate();
    expect(moved.moved).toBe(true);
    const mainScheduling = parseThreadScheduling(main);
    const target = backgroundSchedulingFor(mainScheduling);
    if (target.policy === 'other')
      expect(niceOf(background)).toBe(Math.min(19, niceOf(main) + BACKGROUND_NICE_BY));
    else expect(parseThreadScheduling(background)).toEqual(target);
    expect(parseThreadScheduling(readFileSync(`/proc/${process.pid}/stat`, 'utf8'))).toEqual(
      mainScheduling,
    );
  }, 60_000);
});
