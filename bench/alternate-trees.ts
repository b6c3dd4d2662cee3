/**
 * Runs one benchmark from two or more source trees in turn (issue 29: "bench:kafka and
 * bench:append in the same run before and after"), the order reversed every other pair so that
 * neither tree always meets the machine's load first, and gives each tree's median and the
 * ratio of the medians to the first tree's. On a shared machine one run's figures move by a
 * third; only runs taken alternately in one sitting compare.
 *   npm run bench:trees -- --bench bench:kafka --trees base=../base,new=. [--pairs 2]
 *     [--args "--rounds 2"]   what the benchmark is given, split at spaces
 *     [--store-dir /dev/shm/rapport-bench]   TMPDIR for the runs, so their SQLite files go
 *     there: a tmpfs leaves the disk's fsync out (on a disk shared with other work it set the
 *     pace: 2,400 touchpoints/s against 45,000 on tmpfs in the same hour)
 * Each tree needs its own node_modules (a symlink to one is enough). Run it under the priority
 * the runs should have (`chrt -r 10 npm run bench:trees …`): the children inherit it. Figures
 * read from the output: each round's when the benchmark prints rounds, else its summary; in
 * bench:kafka's identity mode, each run's rate and CPU by its variant (1,000 known, …).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { median } from '../libs/analytics/src/math/median';
import { argument } from './bench-support';

interface Figure {
  readonly name: string;
  /** Every round's value, when the benchmark prints rounds (bench:kafka with --rounds ≥ 2). */
  readonly perRound?: RegExp;
  readonly summary: RegExp;
}

const FIGURES: readonly Figure[] = [
  {
    name: 'end to end touchpoints/s',
    perRound: /^round \d+:.* end to end ([\d,]+) touchpoints\/s/gm,
    summary: /^end to end \(consume.*= ([\d,]+) touchpoints\/s/gm,
  },
  {
    name: 'CPU µs a touchpoint',
    perRound: /^round \d+:.*\(CPU ([\d.]+) µs a touchpoint\)/gm,
    summary: /^end to end CPU .*?([\d.]+) µs a touchpoint/gm,
  },
  { name: 'write path events/s', summary: /^write path \(.*= ([\d,]+) events\/s/gm },
  // bench:projection: each pair's share taken by the signal facts, and each pass's CPU time.
  {
    name: 'signal facts cost % by CPU time',
    perRound: /^signal facts cost #\d+: .*\(by CPU time: (-?[\d.]+) %\)/gm,
    summary: /^signal facts cost: .*\(by CPU time: (-?[\d.]+) %\)/gm,
  },
  {
    name: 'signal facts cost % by wall time',
    perRound: /^signal facts cost #\d+: (-?[\d.]+) % of/gm,
    summary: /^signal facts cost: (-?[\d.]+) % of/gm,
  },
  {
    name: 'applyBatch CPU s',
    perRound: /^memory: Projector\.applyBatch #\d+ .*CPU\s+([\d.]+) s/gm,
    summary: /^memory: Projector\.applyBatch {2,}.*CPU\s+([\d.]+) s/gm,
  },
  {
    name: 'applyBatch + signal facts CPU s',
    perRound: /^memory: applyBatch \+ signal facts #\d+ .*CPU\s+([\d.]+) s/gm,
    summary: /^memory: applyBatch \+ signal facts {2,}.*CPU\s+([\d.]+) s/gm,
  },
];

const BENCH = argument('--bench') ?? 'bench:kafka';
const TREES = (argument('--trees') ?? '').split(',').map((entry) => {
  const at = entry.indexOf('=');
  if (at < 1) throw new Error('--trees takes label=path pairs, comma-separated: base=../b,new=.');
  return { label: entry.slice(0, at), path: resolve(entry.slice(at + 1)) };
});
if (TREES.length < 2) throw new Error('--trees needs two trees at least: base=../b,new=.');
const PAIRS = Number(argument('--pairs') ?? 2);
if (!Number.isInteger(PAIRS) || PAIRS < 1) throw new Error('--pairs takes a whole number ≥ 1');
const ARGS = (argument('--args') ?? '').split(' ').filter(Boolean);
const STORE_DIR = argument('--store-dir');

const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');

function valuesIn(output: string, figure: Figure): number[] {
  const read = (re: RegExp) => [...output.matchAll(re)].map((m) => Number(m[1].replace(/,/g, '')));
  const rounds = figure.perRound ? read(figure.perRound) : [];
  return rounds.length > 0 ? rounds : read(figure.summary);
}

/**
 * bench:kafka's identity mode (--identifiers) prints a line a run, named by its variant (no
 * identifiers, 1,000 known, 1,000,000 known): each variant's rate and CPU are figures of their own.
 */
const VARIANT_RUN = /^round \d+, (.+?): ([\d,]+) touchpoints\/s, CPU ([\d.]+) µs a touchpoint/gm;

/** Every figure the output holds, by name, in the order printed. */
function figuresIn(output: string): Map<string, number[]> {
  const found = new Map<string, number[]>();
  const add = (name: string, value: string) =>
    found.set(name, [...(found.get(name) ?? []), Number(value.replace(/,/g, ''))]);
  for (const [, variant, rate, cpu] of output.matchAll(VARIANT_RUN)) {
    add(`touchpoints/s, ${variant}`, rate);
    add(`CPU µs a touchpoint, ${variant}`, cpu);
  }
  if (found.size > 0) return found;
  for (const figure of FIGURES) {
    const values = valuesIn(output, figure);
    if (values.length) found.set(figure.name, values);
  }
  return found;
}

function main(): void {
  if (STORE_DIR) mkdirSync(STORE_DIR, { recursive: true });
  const values = new Map(TREES.map((t) => [t.label, new Map<string, number[]>()]));
  for (let pair = 1; pair <= PAIRS; pair++) {
    const order = pair % 2 === 1 ? TREES : [...TREES].reverse();
    for (const tree of order) {
      const before = load();
      const run = spawnSync('npm', ['run', '--silent', BENCH, '--', ...ARGS], {
        cwd: tree.path,
        env: STORE_DIR ? { ...process.env, TMPDIR: STORE_DIR } : process.env,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
        maxBuffer: 64 * 1024 * 1024,
      });
      if (run.status !== 0) throw new Error(`${tree.label}: ${BENCH} exited ${run.status}`);
      const found = figuresIn(run.stdout);
      const ofTree = values.get(tree.label)!;
      for (const [name, v] of found) ofTree.set(name, [...(ofTree.get(name) ?? []), ...v]);
      const shown = [...found].map(([name, v]) => `${name} ${v.join(' / ')}`);
      process.stdout.write(
        `pair ${pair} ${tree.label}: ${shown.join('; ')} (load ${before} → ${load()})\n`,
      );
    }
  }
  const first = values.get(TREES[0].label)!;
  for (const [name, baseValues] of first) {
    const base = median(baseValues)!;
    const medians = TREES.map((t) => {
      const m = median(values.get(t.label)!.get(name) ?? []);
      return m === null
        ? `${t.label} none`
        : `${t.label} ${m.toLocaleString('en-US')} (×${(m / base).toFixed(3)})`;
    });
    process.stdout.write(`median ${name}: ${medians.join(', ')}\n`);
  }
}

main();
