import {
  PROJECTIONS,
  ProjectionRebuild,
  projectionNamed,
  RebuildInterruptedError,
  UnknownProjectionError,
  type RebuildProgress,
} from '@rapport/projector';
import type { Projection } from '@rapport/projections';
import type { CliStores } from '../shared/cli-stores';
import { interruptSignal } from '../shared/cli-stores';
import { CliExit, EXIT } from '../shared/exit-codes';
import { progressBar } from '../shared/progress-bar';

export interface RunRebuildOptions {
  readonly mode: 'replay' | 'dry-run' | 'verify';
  readonly batchSize: number;
  readonly graceMs: number;
}

export function projectionsNamed(name: string): Projection<unknown>[] {
  if (name === 'all') return [...PROJECTIONS];
  const projection = projectionNamed(name);
  if (!projection)
    throw new CliExit(
      EXIT.usage,
      new UnknownProjectionError(
        name,
        PROJECTIONS.map((p) => p.name),
      ).message,
    );
  return [projection];
}

/** One rebuild with a progress bar; interruption becomes exit code 130. */
export async function runRebuild(
  stores: CliStores,
  projection: Projection<unknown>,
  options: RunRebuildOptions,
): Promise<RebuildProgress> {
  const bar = progressBar(`${options.mode} ${projection.name}`, 'positions');
  let started = false;
  const rebuild = new ProjectionRebuild(stores.eventStore, stores.readStore, stores.generations, {
    projection,
    mode: options.mode,
    batchSize: options.batchSize,
    graceMs: options.graceMs,
    liveCheckpoint: 'projector',
    signal: interruptSignal(),
    onProgress: (progress) => {
      const total = Number(progress.target) + 1;
      const value = Number(progress.position) + 1;
      if (!started) {
        bar.start(Math.max(total, 1), Math.max(value, 0), { rate: 0 });
        started = true;
      }
      bar.setTotal(Math.max(total, value, 1));
      bar.update(Math.max(value, 0), { rate: progress.eventsPerSecond });
    },
  });
  try {
    return await rebuild.run();
  } catch (error) {
    if (error instanceof RebuildInterruptedError)
      throw new CliExit(EXIT.interrupted, error.message);
    throw error;
  } finally {
    if (started) bar.stop();
  }
}

export function describeProgress(progress: RebuildProgress): string {
  const seconds =
    (Date.parse(progress.finishedAt ?? new Date().toISOString()) - Date.parse(progress.startedAt)) /
    1000;
  const generations =
    progress.mode === 'verify'
      ? `scratch view against generation ${progress.fromGeneration}`
      : `generation ${progress.fromGeneration} → ${progress.generation}${progress.resumed ? ' (resumed)' : ''}`;
  return (
    `${progress.projection}: ${progress.mode} ${progress.state}, ${generations}, ` +
    `${progress.eventsApplied} events applied up to position ${progress.position} in ${seconds.toFixed(1)} s\n`
  );
}

export function describeComparison(progress: RebuildProgress): string {
  const c = progress.comparison;
  if (!c) return '';
  const lines = [
    `compared ${c.compared} records: ${c.differing} differ` +
      (c.inFlight ? `, ${c.inFlight} moved on during the comparison (not judged)` : ''),
  ];
  for (const d of c.differences) {
    lines.push(`  ${d.key}: ${d.kind}`);
    const fields = differingFields(d.live?.value, d.rebuilt?.value);
    if (d.live) lines.push(`    live    @${d.live.position}: ${shown(d.live.value, fields)}`);
    if (d.rebuilt)
      lines.push(`    rebuilt @${d.rebuilt.position}: ${shown(d.rebuilt.value, fields)}`);
  }
  if (c.differing > c.differences.length)
    lines.push(`  … and ${c.differing - c.differences.length} more`);
  return lines.join('\n') + '\n';
}

/** Only the top-level fields that differ, each cut short: a view can be large. */
function differingFields(a: unknown, b: unknown): string[] | undefined {
  if (!isObject(a) || !isObject(b)) return undefined;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));
}

function shown(value: unknown, fields: string[] | undefined): string {
  const picked =
    fields && isObject(value)
      ? Object.fromEntries(fields.map((f) => [f, value[f] === undefined ? '(absent)' : value[f]]))
      : value;
  const text = JSON.stringify(picked);
  return text.length > 400 ? `${text.slice(0, 400)}…` : text;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
