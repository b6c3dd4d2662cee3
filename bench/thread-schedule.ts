import { readdirSync, readFileSync } from 'node:fs';
import { parseThreadScheduling } from '@rapport/threads';

/**
 * Where a process's threads spent a stretch of time, from Linux's per-thread scheduler
 * statistics (/proc/<pid>/task/<tid>/schedstat: nanoseconds on a CPU, nanoseconds runnable but
 * waiting for one). A slow answer is either the main thread busy (its CPU time) or the main
 * thread ready to run and not scheduled (its wait time: other threads, this process's or the
 * machine's, held the cores).
 */
export interface ThreadTimes {
  readonly name: string;
  /** Policy and real-time priority, e.g. "rr 10" or "other 0". */
  readonly scheduling: string;
  readonly runNs: number;
  readonly waitNs: number;
}

export type ScheduleSample = ReadonlyMap<number, ThreadTimes>;

export function sampleThreads(pid: number): ScheduleSample {
  const threads = new Map<number, ThreadTimes>();
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return threads;
  }
  for (const tid of tids) {
    try {
      const [run, wait] = readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ');
      const name = readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
      const { policy, rtPriority } = parseThreadScheduling(
        readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8'),
      );
      threads.set(Number(tid), {
        name,
        scheduling: `${policy} ${rtPriority}`,
        runNs: Number(run),
        waitNs: Number(wait),
      });
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return threads;
}

export interface ScheduleWindow {
  /** The main thread (tid = pid): CPU time and time runnable but waiting for a CPU, in ms. */
  readonly mainCpuMs: number;
  readonly mainWaitMs: number;
  /** Every other thread of the process (rebuild worker, collector helpers, libuv pool). */
  readonly othersCpuMs: number;
  /**
   * The part of it on threads scheduled as the main thread is (collector helpers, libuv pool,
   * a worker that did not move): what takes turns with the main thread for a core, where a
   * thread below it yields the core the moment the main thread can run.
   */
  readonly othersAsMainCpuMs: number;
  /** The busiest other thread, by name: normally the rebuild worker while one runs. */
  readonly busiest?: { name: string; scheduling: string; cpuMs: number; waitMs: number };
}

export function scheduleBetween(
  pid: number,
  before: ScheduleSample,
  after: ScheduleSample,
): ScheduleWindow {
  let othersCpuMs = 0;
  let othersAsMainCpuMs = 0;
  const mainScheduling = after.get(pid)?.scheduling;
  let busiest: ScheduleWindow['busiest'];
  let mainCpuMs = 0;
  let mainWaitMs = 0;
  for (const [tid, now] of after) {
    const then = before.get(tid);
    const cpuMs = (now.runNs - (then?.runNs ?? 0)) / 1e6;
    const waitMs = (now.waitNs - (then?.waitNs ?? 0)) / 1e6;
    if (tid === pid) {
      mainCpuMs = cpuMs;
      mainWaitMs = waitMs;
      continue;
    }
    othersCpuMs += cpuMs;
    if (now.scheduling === mainScheduling) othersAsMainCpuMs += cpuMs;
    if (!busiest || cpuMs > busiest.cpuMs)
      busiest = { name: now.name, scheduling: now.scheduling, cpuMs, waitMs };
  }
  return { mainCpuMs, mainWaitMs, othersCpuMs, othersAsMainCpuMs, busiest };
}

export function describeSchedule(window: ScheduleWindow): string {
  const busiest = window.busiest
    ? `, busiest other "${window.busiest.name}" (${window.busiest.scheduling}) ` +
      `${window.busiest.cpuMs.toFixed(0)} ms ` +
      `(waited ${window.busiest.waitMs.toFixed(0)})`
    : '';
  return (
    `main thread cpu ${window.mainCpuMs.toFixed(0)} ms, waited ${window.mainWaitMs.toFixed(0)} ms; ` +
    `other threads cpu ${window.othersCpuMs.toFixed(0)} ms ` +
    `(${window.othersAsMainCpuMs.toFixed(0)} at the main thread's priority)${busiest}`
  );
}
