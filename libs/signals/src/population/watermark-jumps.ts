import { DAY_MS } from '../rules/rule-support';
import type { SignalRulesConfig } from '../signal-rules.config';
import { populationWindow, populationWindowsDue } from './population-facts';

/**
 * Event time carried from `from` to `to` by one event, read in position order, with no event
 * time between them read before it: every window boundary in between became due at once.
 */
export interface WatermarkJump {
  readonly from: string;
  readonly to: string;
}

/**
 * How far before the event that ended a jump the population rules go back: the longest expiry
 * of their signals. A boundary at least this far before it can only raise signals already
 * expired when it becomes due (the watermark is then past that event), so skipping it loses no
 * signal; the first boundary kept is still that far back, so its comparison with the standings
 * from before the jump raises nothing pending either.
 */
export function populationLeadInMs(rules: SignalRulesConfig): number {
  return Math.max(rules.tierMove.expiresAfterDays, rules.winBack.expiresAfterDays) * DAY_MS;
}

/**
 * The watermark after reading `occurredAts` (in position order) from `watermark`, and the jumps
 * longer than `minJumpMs` on the way: a function of the events and their order only, so a
 * replay read in other batches records the same jumps. Unreadable times are passed over.
 */
export function advanceWatermark(
  watermark: string | null,
  occurredAts: Iterable<unknown>,
  minJumpMs: number,
): { readonly watermark: string | null; readonly jumps: WatermarkJump[] } {
  let current = watermark === null ? Number.NaN : Date.parse(watermark);
  let latest = watermark;
  const jumps: WatermarkJump[] = [];
  for (const occurredAt of occurredAts) {
    if (typeof occurredAt !== 'string') continue;
    const at = Date.parse(occurredAt);
    if (Number.isNaN(at) || at <= current) continue;
    const to = new Date(at).toISOString();
    if (latest !== null && at - current > minJumpMs) jumps.push({ from: latest, to });
    current = at;
    latest = to;
  }
  return { watermark: latest, jumps };
}

/**
 * The boundaries {@link populationWindowsDue} gives, less those a jump made due that lie more
 * than `leadInMs` before its end (see {@link populationLeadInMs}): a store whose first event is
 * dated 1970 and the next 2026 evaluates the 1970 boundary and then the month before 2026's
 * event, not 20,000 days in between. The jumps must include every one up to `watermark`.
 */
export function populationWindowsDueAcross(
  jumps: readonly WatermarkJump[],
  leadInMs: number,
  lastWindow: string | null,
  watermark: string | null,
  start: string | null,
  windowSeconds: number,
  maxWindows: number,
): string[] {
  const size = windowSeconds * 1_000;
  const skipped = jumps
    .map((jump) => ({
      from: Date.parse(populationWindow(jump.from, windowSeconds)) + size,
      until: Date.parse(
        populationWindow(new Date(Date.parse(jump.to) - leadInMs).toISOString(), windowSeconds),
      ),
    }))
    .filter((stretch) => stretch.until > stretch.from)
    .sort((a, b) => a.from - b.from);
  const due: string[] = [];
  let last = lastWindow;
  while (due.length < maxWindows) {
    const next = populationWindowsDue(last, watermark, start, windowSeconds, 1);
    if (next.length === 0) break;
    const at = Date.parse(next[0]);
    const stretch = skipped.find((s) => at >= s.from && at < s.until);
    if (stretch) {
      // The boundary before the first one kept stands for the skipped stretch's last.
      last = new Date(stretch.until - size).toISOString();
      continue;
    }
    due.push(next[0]);
    last = next[0];
  }
  return due;
}
