const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * For a string ZONED_DATE_TIME already matched: whether each field is in range and the day
 * exists in its month (no 2026-02-30), which is what class-validator's strict IsISO8601 adds
 * to the pattern, without its general ISO 8601 regex and Date object. It accepts no more than
 * IsISO8601 does: 24:00 and years before 1970 (refused as event times anyway; IsISO8601 has
 * quirks below 1000) are left to the DTO, which decides.
 */
export function isCalendarDateTime(text: string): boolean {
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  if (year < 1970 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return false;
  if (digits(text, 11, 2) > 23 || digits(text, 14, 2) > 59) return false;
  if (text[16] === ':' && digits(text, 17, 2) > 59) return false;
  if (text.endsWith('Z')) return true;
  return digits(text, text.length - 5, 2) <= 23 && digits(text, text.length - 2, 2) <= 59;
}

/**
 * The number `count` digits at `at` write: the pattern matched, so they are ASCII digits. Read
 * from the character codes, since Kafka ingest checks every message's time and each
 * Number(text.slice(…)) made a string.
 */
function digits(text: string, at: number, count: number): number {
  let value = 0;
  for (let i = at; i < at + count; i++) value = value * 10 + (text.charCodeAt(i) - 48);
  return value;
}

function daysIn(year: number, month: number): number {
  if (month !== 2) return DAYS_IN_MONTH[month - 1];
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return leap ? 29 : 28;
}
