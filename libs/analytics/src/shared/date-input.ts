import { InvalidAnalyticsInputError } from './analytics.errors';

/** An instant: an ISO 8601 string or epoch milliseconds. All arithmetic happens in UTC ms. */
export type DateInput = string | number;

export const MS_PER_DAY = 86_400_000;

export function toEpochMs(input: DateInput): number {
  const ms = typeof input === 'number' ? input : Date.parse(input);
  if (!Number.isFinite(ms)) {
    throw new InvalidAnalyticsInputError(`not a valid instant: ${String(input)}`, { input });
  }
  return ms;
}

/** Whole UTC days since the epoch: the calendar day the instant falls on. */
export function utcDayIndex(ms: number): number {
  return Math.floor(ms / MS_PER_DAY);
}

/** Elapsed days between two instants, fractional. */
export function daysBetween(fromMs: number, toMs: number): number {
  return (toMs - fromMs) / MS_PER_DAY;
}

/** Months since 1970-01 in UTC: 0 = January 1970. */
export function utcMonthIndex(ms: number): number {
  const date = new Date(ms);
  return date.getUTCFullYear() * 12 + date.getUTCMonth() - 1970 * 12;
}

/** "YYYY-MM" of a month index from {@link utcMonthIndex}. */
export function monthKey(monthIndex: number): string {
  const year = 1970 + Math.floor(monthIndex / 12);
  const month = monthIndex - (year - 1970) * 12 + 1;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}`;
}

/**
 * The instant `months` calendar months before `ms`, same UTC time of day. The day is clamped
 * to the target month's length (31 March − 1 month = 28/29 February) so a window never
 * silently spills into the month after.
 */
export function subtractUtcMonths(ms: number, months: number): number {
  const date = new Date(ms);
  const targetMonth = date.getUTCMonth() - months;
  const firstOfTarget = Date.UTC(date.getUTCFullYear(), targetMonth, 1);
  const target = new Date(firstOfTarget);
  const daysInTarget = new Date(
    Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0),
  ).getUTCDate();
  const day = Math.min(date.getUTCDate(), daysInTarget);
  return (
    Date.UTC(target.getUTCFullYear(), target.getUTCMonth(), day) +
    (ms - utcDayIndex(ms) * MS_PER_DAY)
  );
}

const PLAIN_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * The last instant (epoch ms) of a plain UTC date "YYYY-MM-DD", or null when the text is not
 * one or names no real day (2026-02-30). "As of 30 June" means with all of 30 June in it.
 */
export function endOfPlainDate(text: string): number | null {
  const match = PLAIN_DATE.exec(text);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const start = Date.UTC(year, month - 1, day);
  const date = new Date(start);
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1) return null;
  return start + MS_PER_DAY - 1;
}

/**
 * An asOf as the CLI and the HTTP API take it, in canonical UTC form: an instant as given, or a
 * plain date meaning the end of that UTC day.
 */
export function asOfInstant(text: string): string {
  const ms = endOfPlainDate(text) ?? (PLAIN_DATE.test(text) ? NaN : Date.parse(text));
  if (!Number.isFinite(ms)) {
    throw new InvalidAnalyticsInputError(
      `not a valid asOf: ${text} (an ISO 8601 instant, or a date YYYY-MM-DD)`,
      { input: text },
    );
  }
  return new Date(ms).toISOString();
}
