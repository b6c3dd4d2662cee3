import { execFileSync } from 'node:child_process';
import { readFileSync, readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/** A thread's scheduling as Linux reports it in /proc/<pid>/task/<tid>/stat. */
export interface ThreadScheduling {
  readonly policy: 'other' | 'fifo' | 'rr' | 'batch' | 'idle' | 'deadline';
  /** 1-99 under fifo and rr, 0 otherwise. */
  readonly rtPriority: number;
}

/** Linux's SCHED_* numbers (4, SCHED_ISO, was never implemented). */
const POLICIES: Readonly<Record<number, ThreadScheduling['policy']>> = {
  0: 'other',
  1: 'fifo',
  2: 'rr',
  3: 'batch',
  5: 'idle',
  6: 'deadline',
};

/** Reads the policy (field 41) and real-time priority (field 40) of a task's stat line. */
export function parseThreadScheduling(stat: string): ThreadScheduling {
  // The command name (field 2) is in parentheses and may hold spaces or parentheses itself.
  const fields = stat
    .slice(stat.lastIndexOf(')') + 2)
    .trim()
    .split(' ');
  // fields[0] is field 3 (state).
  const rtPriority = Number(fields[40 - 3]);
  const policy = POLICIES[Number(fields[41 - 3])];
  if (!policy || !Number.isInteger(rtPriority))
    throw new Error(`not a task's stat line: ${JSON.stringify(stat.slice(0, 80))}`);
  return { policy, rtPriority };
}

/** What a background thread of a thread scheduled as `of` should run at; undefined: as it is. */
export type BackgroundScheduling =
  | { readonly policy: 'fifo' | 'rr'; readonly rtPriority: number }
  | { readonly policy: 'other'; readonly niceBy: number };

/** How much less a background thread weighs with the fair scheduler than the one it serves. */
export const BACKGROUND_NICE_BY = 10;

/**
 * One step below the thread that serves requests. Under a real-time policy the nice value is
 * ignored and threads of one priority take turns in 100-ms slices: a rebuild's worker at the
 * main thread's priority kept it runnable but unscheduled for 3.6-4.3 s of every 5 (bench:rebuild
 * under `chrt -r 10`). One real-time priority lower, the main thread takes the core from the
 * worker the moment it has a request, and the worker still goes before the machine's ordinary
 * processes; at the lowest real-time priority there is nothing below, so it leaves real time.
 */
export function backgroundSchedulingFor(of: ThreadScheduling): BackgroundScheduling {
  if ((of.policy === 'rr' || of.policy === 'fifo') && of.rtPriority > 1)
    return { policy: of.policy, rtPriority: of.rtPriority - 1 };
  return { policy: 'other', niceBy: BACKGROUND_NICE_BY };
}

/**
 * Puts the calling thread (a worker thread doing background work) below the scheduling it
 * inherited from the process's main thread (see backgroundSchedulingFor). Linux keeps the
 * policy and the nice value per thread, so only this thread moves. Says what it runs at now,
 * or why it could not move (then it runs as it was: slower requests, nothing worse).
 */
export function runThisThreadInBackground(): { moved: boolean; description: string } {
  try {
    return { moved: true, description: moveThisThread() };
  } catch (error) {
    return { moved: false, description: error instanceof Error ? error.message : String(error) };
  }
}

function moveThisThread(): string {
  const task = readlinkSync('/proc/thread-self');
  const tid = task.slice(task.lastIndexOf('/') + 1);
  const current = parseThreadScheduling(readFileSync(`/proc/${task}/stat`, 'utf8'));
  const target = backgroundSchedulingFor(current);
  if (target.policy === 'other') {
    // From real time (priority 1) to the fair scheduler, then nicer there.
    if (current.policy === 'rr' || current.policy === 'fifo')
      execFileSync('chrt', ['--other', '--pid', '0', tid], { stdio: 'ignore' });
    setPriority(Math.min(19, getPriority() + target.niceBy));
    return `${current.policy} → other, nice ${getPriority()}`;
  }
  const flag = target.policy === 'rr' ? '--rr' : '--fifo';
  execFileSync('chrt', [flag, '--pid', String(target.rtPriority), tid], { stdio: 'ignore' });
  return `${current.policy} ${current.rtPriority} → ${target.policy} ${target.rtPriority}`;
}
