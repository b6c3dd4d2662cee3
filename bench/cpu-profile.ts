import { existsSync, readFileSync } from 'node:fs';

/**
 * CPU profiles of a child process over chosen windows only (the load phase would drown the
 * requests otherwise). `--cpu-prof` can't do that, and it writes nothing when the process ends
 * by a signal, as Nest's shutdown hooks make it do. So the child gets a preloaded hook: each
 * SIGWINCH toggles the in-process inspector's profiler; a stop writes `<dir>/<n>.cpuprofile`.
 */
export function profilerNodeArgs(dir: string, options: { fromStart?: boolean } = {}): string[] {
  // From start: the profiler runs from the hook on (the first SIGWINCH then stops it), so a
  // start-up's long tasks are caught whenever they come.
  const hook = `
    import { Session } from 'node:inspector';
    import { writeFileSync } from 'node:fs';
    const session = new Session();
    session.connect();
    let running = false;
    let written = 0;
    process.on('SIGWINCH', () => {
      if (!running) {
        session.post('Profiler.enable', () => session.post('Profiler.start'));
      } else {
        session.post('Profiler.stop', (error, result) => {
          if (!error) writeFileSync(${JSON.stringify(dir)} + '/' + written++ + '.cpuprofile', JSON.stringify(result.profile));
        });
      }
      running = !running;
    });
    if (${options.fromStart === true}) process.emit('SIGWINCH');`;
  return ['--import', `data:text/javascript,${encodeURIComponent(hook)}`];
}

/** Waits for the hook to write profile number `n` (a stop is asynchronous). */
export async function profileWritten(dir: string, n: number): Promise<string> {
  const file = `${dir}/${n}.cpuprofile`;
  for (let i = 0; i < 100 && !existsSync(file); i++)
    await new Promise((resolve) => setTimeout(resolve, 100));
  return file;
}

interface ProfileNode {
  readonly id: number;
  readonly callFrame: {
    readonly functionName: string;
    readonly url: string;
    readonly lineNumber: number;
  };
  readonly children?: readonly number[];
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** A part of the request path: a sample belongs to the innermost stage on its stack. */
export interface ProfileStage {
  readonly name: string;
  /** Tested against `functionName url` of each frame. */
  readonly frames: RegExp;
}

/**
 * Where the time went: the top functions by self time, self time per package (or app file
 * area), time per stage (hook, guard, pipe, handler…: nested calls like a hook chain's
 * `done()` make inclusive times overlap, so each sample counts for its innermost stage
 * only) and the top functions by inclusive time (a function counted once per sample however
 * often it recurs), all in ms and share of the sampled time.
 */
export function summariseProfile(
  file: string,
  stages: readonly ProfileStage[] = [],
  top = 25,
): string {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parent.set(child, node.id);
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const area = new Map<string, number>();
  const staged = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const micros = profile.timeDeltas[i] ?? 0;
    total += micros;
    const leaf = byId.get(id)!;
    add(self, frameName(leaf), micros);
    add(area, areaOf(leaf), micros);
    const seen = new Set<string>();
    let stage: string | undefined;
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const name = frameName(byId.get(at)!);
      if (!seen.has(name)) inclusive.set(name, (inclusive.get(name) ?? 0) + micros);
      seen.add(name);
      stage ??= stages.find((candidate) => candidate.frames.test(name))?.name;
    }
    add(staged, stage ?? `other: ${areaOf(leaf)}`, micros);
  });
  const table = (title: string, values: Map<string, number>, rows: number) =>
    [
      title,
      ...[...values]
        .sort((x, y) => y[1] - x[1])
        .slice(0, rows)
        .map(
          ([name, micros]) =>
            `  ${(micros / 1000).toFixed(0).padStart(7)} ms ${((100 * micros) / total).toFixed(1).padStart(5)}%  ${name}`,
        ),
    ].join('\n');
  return [
    `${file}: ${(total / 1000).toFixed(0)} ms sampled`,
    table('self time by function', self, top),
    table('self time by package', area, top),
    ...(stages.length ? [table('time by stage (innermost on the stack)', staged, top)] : []),
    table('inclusive time by function', inclusive, top * 2),
  ].join('\n');
}

function add(map: Map<string, number>, key: string, micros: number): void {
  map.set(key, (map.get(key) ?? 0) + micros);
}

function frameName(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const where = url ? `${shortUrl(url)}:${lineNumber + 1}` : '';
  return `${functionName || '(anonymous)'} ${where}`.trim();
}

function areaOf(node: ProfileNode): string {
  const url = node.callFrame.url;
  if (!url) return node.callFrame.functionName || '(native)';
  const inPackage = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (inPackage) return inPackage[1];
  if (url.startsWith('node:')) return url;
  // Built (dist/apps/<app>/…) or run from source by ts-node (…/libs/…, …/apps/…).
  return (
    /dist\/apps\/[^/]+\/(.*)\/[^/]+$/.exec(url)?.[1] ??
    /\/((?:apps|libs|bench)\/.*)\/[^/]+$/.exec(url)?.[1] ??
    url
  );
}

function shortUrl(url: string): string {
  return url.replace(/^file:\/\/.*?\/(node_modules|dist)\//, '$1/');
}

/**
 * The main thread's long tasks: stretches of consecutive samples that are not idle, of at least
 * `minMs`, each with when it began (after the profile began and, given the clock, after ready) and
 * the functions that took most of it, inclusive (what was running) — what held the event loop.
 */
export function summariseLongTasks(
  file: string,
  minMs: number,
  /** `readyAt` is when `since` happened ("ready" unless said): tasks are placed after it. */
  clock?: { readonly stoppedAt: number; readonly readyAt: number; readonly since?: string },
  top = 8,
): string {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile & {
    startTime: number;
    endTime: number;
  };
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parent.set(child, node.id);
  const idle = (id: number) => byId.get(id)!.callFrame.functionName === '(idle)';
  const tasks: { startUs: number; micros: number; samples: number[]; deltas: number[] }[] = [];
  let current: (typeof tasks)[number] | undefined;
  let at = 0;
  profile.samples.forEach((id, i) => {
    const micros = profile.timeDeltas[i] ?? 0;
    at += micros;
    if (idle(id)) {
      if (current && current.micros >= minMs * 1000) tasks.push(current);
      current = undefined;
      return;
    }
    current ??= { startUs: at, micros: 0, samples: [], deltas: [] };
    current.micros += micros;
    current.samples.push(id);
    current.deltas.push(micros);
  });
  if (current && current.micros >= minMs * 1000) tasks.push(current);
  const lines = [`${file}: ${tasks.length} long tasks of ${minMs} ms or more`];
  for (const task of tasks) {
    const inclusive = new Map<string, number>();
    task.samples.forEach((id, i) => {
      const seen = new Set<string>();
      for (let node: number | undefined = id; node !== undefined; node = parent.get(node)) {
        const name = frameName(byId.get(node)!);
        if (!seen.has(name)) add(inclusive, name, task.deltas[i]);
        seen.add(name);
      }
    });
    // The profile's clock is not the wall clock: a task is placed back from when the profiler
    // was stopped (a signal's delivery later, which is negligible here).
    const fromReady = clock
      ? `, ${((clock.stoppedAt - (profile.endTime - profile.startTime - task.startUs) / 1000 - clock.readyAt) / 1000).toFixed(1)} s after ${clock.since ?? 'ready'}`
      : '';
    lines.push(
      `  ${(task.micros / 1000).toFixed(0)} ms at +${(task.startUs / 1e6).toFixed(1)} s${fromReady}:`,
      ...[...inclusive]
        .filter(([name]) => !/^\((root|program)\)/.test(name))
        .sort((x, y) => y[1] - x[1])
        .slice(0, top)
        .map(([name, micros]) => `    ${(micros / 1000).toFixed(0).padStart(6)} ms  ${name}`),
    );
  }
  return lines.join('\n');
}
