import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import {
  BACKGROUND_NICE_BY,
  backgroundSchedulingFor,
  parseThreadScheduling,
} from './background-priority';

/** A task's stat line as Linux writes it, with the given command name, priority and policy. */
function statLine(comm: string, rtPriority: number, policy: number): string {
  const fields = Array.from({ length: 52 }, (_, i) => String(i + 1));
  fields[40 - 1] = String(rtPriority);
  fields[41 - 1] = String(policy);
  return `4242 (${comm}) ${fields.slice(2).join(' ')}\n`;
}

describe('parseThreadScheduling', () => {
  it('reads the policy and the real-time priority', () => {
    expect(parseThreadScheduling(statLine('node', 10, 2))).toEqual({
      policy: 'rr',
      rtPriority: 10,
    });
    expect(parseThreadScheduling(statLine('node', 0, 0))).toEqual({
      policy: 'other',
      rtPriority: 0,
    });
    expect(parseThreadScheduling(statLine('node', 5, 1))).toEqual({
      policy: 'fifo',
      rtPriority: 5,
    });
  });

  it('finds the fields after a command name holding spaces and parentheses', () => {
    expect(parseThreadScheduling(statLine('a (b) c', 3, 2))).toEqual({
      policy: 'rr',
      rtPriority: 3,
    });
  });

  it('reads this thread as Linux reports it', () => {
    const scheduling = parseThreadScheduling(readFileSync('/proc/thread-self/stat', 'utf8'));
    const policy = execFileSync('chrt', ['--pid', String(process.pid)], { encoding: 'utf8' });
    expect(policy.toLowerCase()).toContain(
      { other: 'sched_other', rr: 'sched_rr', fifo: 'sched_fifo' }[scheduling.policy as string],
    );
  });

  it('refuses what is not a stat line, saying what it got', () => {
    expect(() => parseThreadScheduling('hello')).toThrow(/not a task's stat line: "hello"/);
  });
});

describe('backgroundSchedulingFor', () => {
  it('puts a real-time thread one priority below, so the thread it serves preempts it', () => {
    expect(backgroundSchedulingFor({ policy: 'rr', rtPriority: 10 })).toEqual({
      policy: 'rr',
      rtPriority: 9,
    });
    expect(backgroundSchedulingFor({ policy: 'fifo', rtPriority: 2 })).toEqual({
      policy: 'fifo',
      rtPriority: 1,
    });
  });

  it('leaves real time from its lowest priority, for a nicer fair-scheduled thread', () => {
    expect(backgroundSchedulingFor({ policy: 'rr', rtPriority: 1 })).toEqual({
      policy: 'other',
      niceBy: BACKGROUND_NICE_BY,
    });
  });

  it('makes a fair-scheduled thread nicer', () => {
    expect(backgroundSchedulingFor({ policy: 'other', rtPriority: 0 })).toEqual({
      policy: 'other',
      niceBy: BACKGROUND_NICE_BY,
    });
  });
});
