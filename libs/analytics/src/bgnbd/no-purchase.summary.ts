import { type DateInput, toEpochMs, utcDayIndex } from '../shared/date-input';
import { type BgNbdSummary, TIME_UNIT_DAYS } from './bg-nbd.types';
import type { BgNbdSummaryOptions } from './bg-nbd.summary';

/**
 * The (x, tₓ, T) BG/NBD is read with for a customer known since `firstSeenAt` who has not bought
 * as of `asOf`: no repeat purchase (x = 0, tₓ = 0) over the whole days since they were first
 * seen. BG/NBD starts its clock at a first purchase and has no acquisition process of its own;
 * the nearest thing it states is a customer silent since that start, whose purchase rate it
 * believes to be Gamma(r, α + T): the longer the silence, the lower. Null when the customer was
 * first seen after `asOf` (not known yet).
 */
export function summarizeNoPurchase(
  firstSeenAt: DateInput,
  options: BgNbdSummaryOptions,
): BgNbdSummary | null {
  const firstDay = utcDayIndex(toEpochMs(firstSeenAt));
  const asOfDay = utcDayIndex(toEpochMs(options.asOf));
  if (firstDay > asOfDay) return null;
  return { x: 0, tx: 0, T: (asOfDay - firstDay) / TIME_UNIT_DAYS[options.unit] };
}
