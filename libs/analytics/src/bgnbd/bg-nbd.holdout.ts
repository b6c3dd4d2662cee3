import { type DateInput, toEpochMs, utcDayIndex } from '../shared/date-input';
import { bgNbdExpectedPurchases } from './bg-nbd.predict';
import { summarizeBgNbd } from './bg-nbd.summary';
import {
  type BgNbdParams,
  type BgNbdSummary,
  type BgNbdTimeUnit,
  TIME_UNIT_DAYS,
} from './bg-nbd.types';

/** One customer in a calibration/holdout check: their calibration summary and holdout repeats. */
export interface HoldoutCustomer {
  readonly calibration: BgNbdSummary;
  /** Transaction days in the holdout period. */
  readonly holdoutTransactions: number;
}

export interface HoldoutRow {
  /** Repeat transactions in the calibration period: '0' … '6', then '7+'. */
  readonly calibrationRepeats: string;
  readonly customers: number;
  /** Holdout transactions, summed over the row's customers. */
  readonly actual: number;
  readonly predicted: number;
  /** Per customer, as the textbook's conditional expectations chart shows them. */
  readonly actualMean: number;
  readonly predictedMean: number;
}

export interface HoldoutTable {
  /** Length of the holdout period, in the fit's unit. */
  readonly holdoutLength: number;
  readonly rows: readonly HoldoutRow[];
  readonly total: {
    readonly customers: number;
    readonly actual: number;
    readonly predicted: number;
  };
}

const LAST_ROW = 7;

/**
 * Actual against predicted holdout transactions by calibration frequency (Fader, Hardie & Lee
 * 2005, fig. 4): customers grouped by x = 0, 1, …, 6, 7+, each group's holdout transactions
 * against Σ E[Y(t*) | x, tₓ, T] of its customers, t* the holdout length.
 */
export function bgNbdHoldoutTable(
  params: BgNbdParams,
  customers: readonly HoldoutCustomer[],
  holdoutLength: number,
): HoldoutTable {
  const groups = Array.from({ length: LAST_ROW + 1 }, () => ({
    customers: 0,
    actual: 0,
    predicted: 0,
  }));
  // Customers sharing a triple share a prediction: computed once per triple.
  const predictions = new Map<string, number>();
  for (const customer of customers) {
    const { x, tx, T } = customer.calibration;
    const key = `${x}:${tx}:${T}`;
    let predicted = predictions.get(key);
    if (predicted === undefined) {
      predicted = bgNbdExpectedPurchases(params, customer.calibration, holdoutLength);
      predictions.set(key, predicted);
    }
    const group = groups[Math.min(x, LAST_ROW)];
    group.customers += 1;
    group.actual += customer.holdoutTransactions;
    group.predicted += predicted;
  }
  const rows = groups.map((group, index) => ({
    calibrationRepeats: index === LAST_ROW ? `${LAST_ROW}+` : String(index),
    ...group,
    actualMean: group.customers ? group.actual / group.customers : 0,
    predictedMean: group.customers ? group.predicted / group.customers : 0,
  }));
  return {
    holdoutLength,
    rows,
    total: {
      customers: customers.length,
      actual: rows.reduce((s, r) => s + r.actual, 0),
      predicted: rows.reduce((s, r) => s + r.predicted, 0),
    },
  };
}

/**
 * A customer's calibration summary (purchase days up to `calibrationEnd`'s day) and holdout
 * transactions (distinct purchase days after it, up to `holdoutEnd`'s day). Null for a customer
 * without a purchase in the calibration period: the check follows the calibration cohort.
 */
export function holdoutCustomerOf(
  purchases: readonly DateInput[],
  options: {
    readonly calibrationEnd: DateInput;
    readonly holdoutEnd: DateInput;
    readonly unit: BgNbdTimeUnit;
  },
): HoldoutCustomer | null {
  const calibration = summarizeBgNbd(purchases, {
    asOf: options.calibrationEnd,
    unit: options.unit,
  });
  if (!calibration) return null;
  const calibrationDay = utcDayIndex(toEpochMs(options.calibrationEnd));
  const holdoutDay = utcDayIndex(toEpochMs(options.holdoutEnd));
  const days = new Set<number>();
  for (const purchase of purchases) {
    const day = utcDayIndex(toEpochMs(purchase));
    if (day > calibrationDay && day <= holdoutDay) days.add(day);
  }
  return { calibration, holdoutTransactions: days.size };
}

/** The holdout period's length in `unit`: whole days from the calibration end's day to the holdout end's. */
export function holdoutLengthOf(
  calibrationEnd: DateInput,
  holdoutEnd: DateInput,
  unit: BgNbdTimeUnit,
): number {
  const days = utcDayIndex(toEpochMs(holdoutEnd)) - utcDayIndex(toEpochMs(calibrationEnd));
  return days / TIME_UNIT_DAYS[unit];
}
