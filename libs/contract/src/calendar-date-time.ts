const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * For a string ZONED_DATE_TIME already matched: whether each field is in range and the day
 * exists in its month (no 2026-02-30), which is what class-validator's strict IsISO8601 adds
 * to the pattern, without its general ISO 8601 regex and Date object. It accepts no more than
 * IsISO8601 does: 24:00 and years before 1970 (refused as event times anyway; IsISO8601 has
 * quirks below 1000) are left to the DTO, which decides.
 */
export function isCalendarDateTime(text: string): boolean {
  const year = Number(text.slice(0, 4));
  const month = Number(text.slice(5, 7));
  const day = Number(text.slice(8, 10));
  if (year < 1970 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return false;
  if (Number(text.slice(11, 13)) > 23 || Number(text.slice(14, 16)) > 59) return false;
  if (text[16] === ':' && Number(text.slice(17, 19)) > 59) return false;
  if (text.endsWith('Z')) return true;
  return Number(text.slice(-5, -3)) <= 23 && Number(text.slice(-2)) <= 59;
}

function daysIn(year: number, month: number): number {
  if (month !== 2) return DAYS_IN_MONTH[month - 1];
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return leap ? 29 : 28;
}
