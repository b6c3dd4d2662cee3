import { subtractUtcMonths } from '@rapport/analytics';

const MS_PER_DAY = 86_400_000;
/** A date (`2026-11-20`) or an instant (`2026-11-20T14:03:00Z`) at the start of a string. */
const DATED = /^\d{4}-\d{2}-\d{2}/;

/**
 * Until when (exclusive, epoch ms) facts read from `view` as of `asOfMs` stay what they are:
 * a customer's facts (trailing revenue, churn facts, spend, service in the window, last seen)
 * change as "as of" moves on only when an instant of theirs passes one of two edges, `asOf`
 * itself (an event dated later is counted once asOf reaches it, or its day) or the start of the
 * trailing window (an event leaves the window). So the smallest such crossing bounds them.
 *
 * Every dated string of the view counts as an instant, with its day's start (and a date alone
 * its midday, which the per-day facts stand for): formulas compare instants, days or the
 * midday of a day, and taking each at its earliest reading may end validity early, never late.
 * Reading every dated string, not a list of fields, keeps it right when a formula starts using
 * another field of the view. `incremental-refresh.spec` checks the premise against the facts.
 */
export function factsValidUntil(view: unknown, asOfMs: number, windowMonths: number): number {
  const from = subtractUtcMonths(asOfMs, windowMonths);
  let nextAfterAsOf = Number.POSITIVE_INFINITY;
  let firstInWindow = Number.POSITIVE_INFINITY;
  const consider = (at: number) => {
    if (Number.isNaN(at)) return;
    if (at > asOfMs) nextAfterAsOf = Math.min(nextAfterAsOf, at);
    else if (at > from) firstInWindow = Math.min(firstInWindow, at);
  };
  forEachDatedString(view, (text) => {
    const at = Date.parse(text.length === 10 ? `${text}T00:00:00.000Z` : text);
    if (Number.isNaN(at)) return;
    consider(at);
    consider(Math.floor(at / MS_PER_DAY) * MS_PER_DAY);
    if (text.length === 10) consider(at + MS_PER_DAY / 2);
  });
  const leaves =
    firstInWindow === Number.POSITIVE_INFINITY
      ? Number.POSITIVE_INFINITY
      : leavesWindowAt(firstInWindow, windowMonths);
  return Math.min(nextAfterAsOf, leaves);
}

/**
 * The first "as of" whose trailing window (`subtractUtcMonths(asOf, months)`, exclusive) no
 * longer holds `at`: the same day and time `months` later, or the first of the month after
 * when that month is too short (31 March, one month on: 1 May, since 30 April's window still
 * starts on 30 March). Checked against subtractUtcMonths, searched for if ever it disagrees.
 */
export function leavesWindowAt(at: number, months: number): number {
  const date = new Date(at);
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth() + months;
  const day = date.getUTCDate();
  const timeOfDay = at - Math.floor(at / MS_PER_DAY) * MS_PER_DAY;
  const daysInTarget = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const guess =
    day <= daysInTarget ? Date.UTC(year, month, day) + timeOfDay : Date.UTC(year, month + 1, 1);
  const leaves = (asOf: number) => subtractUtcMonths(asOf, months) >= at;
  if (leaves(guess) && !leaves(guess - 1)) return guess;
  let low = at;
  let high = at + (months * 31 + 4) * MS_PER_DAY;
  while (low < high) {
    const middle = Math.floor((low + high) / 2);
    if (leaves(middle)) high = middle;
    else low = middle + 1;
  }
  return low;
}

function forEachDatedString(value: unknown, visit: (text: string) => void): void {
  if (typeof value === 'string') {
    if (value.length >= 10 && DATED.test(value)) visit(value);
  } else if (Array.isArray(value)) {
    for (const item of value) forEachDatedString(item, visit);
  } else if (value !== null && typeof value === 'object') {
    for (const key in value) forEachDatedString((value as Record<string, unknown>)[key], visit);
  }
}
