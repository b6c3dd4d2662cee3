import {
  bgNbdHoldoutTable,
  fitGammaGamma,
  holdoutLengthOf,
  type BgNbdFitResult,
  type BgNbdSummary,
  type BgNbdTimeUnit,
  type GammaGammaFitResult,
  type HoldoutCustomer,
  type HoldoutTable,
  type SpendSummary,
} from '@rapport/analytics';
import type { ModelFitFacts } from './population';
import type { ModelRunner } from './model-runner/model-runner';
import { inPages } from './model-runner/pages';

/** A fit of both models on demand (`rapport model fit`, POST /v1/model/fit). */
export interface ModelFit {
  readonly asOf: string;
  readonly unit: BgNbdTimeUnit;
  readonly fit: BgNbdFitResult | null;
  /** Customers with a purchase the BG/NBD fit saw. */
  readonly customers: number;
  readonly note?: string;
  readonly spendFit: GammaGammaFitResult | null;
  readonly spendNote?: string;
  /** With --holdout-from: fitted on the calibration period, checked on the holdout. */
  readonly holdout?: {
    readonly holdoutFrom: string;
    readonly calibrationEnd: string;
    readonly table: HoldoutTable | null;
  };
}

const PAGE = 1_000;
/** Fewer repeat customers than this: no spend fit (two parameters a customer is too few). */
const MIN_SPEND_CUSTOMERS = 20;

/** Fits BG/NBD (on the runner) and Gamma-Gamma on facts gathered from every view. */
export async function fitModels(
  facts: readonly ModelFitFacts[],
  options: {
    readonly asOf: string;
    readonly unit: BgNbdTimeUnit;
    readonly currency: string;
    readonly calibrationEnd?: string;
    readonly holdoutFrom?: string;
  },
  runner: ModelRunner,
): Promise<ModelFit> {
  const summaries: BgNbdSummary[] = [];
  const repeatSpend: SpendSummary[] = [];
  const holdout: HoldoutCustomer[] = [];
  for (const f of facts) {
    summaries.push(f.summary);
    if (f.spend && f.spend.x > 0 && f.spend.meanSpend > 0) repeatSpend.push(f.spend);
    if (f.holdout) holdout.push(f.holdout);
  }
  const { asOf, unit } = options;
  const fit = summaries.some((s) => s.x > 0)
    ? await runner.fit(unit, inPages(summaries, PAGE))
    : null;
  const spend = spendFitOf(repeatSpend, options.currency);
  return {
    asOf,
    unit,
    fit,
    customers: summaries.length,
    ...(fit ? {} : { note: 'no customer has bought twice' }),
    spendFit: spend.fit,
    ...(spend.note ? { spendNote: spend.note } : {}),
    ...(options.calibrationEnd && options.holdoutFrom
      ? {
          holdout: {
            holdoutFrom: options.holdoutFrom,
            calibrationEnd: options.calibrationEnd,
            table: fit
              ? bgNbdHoldoutTable(
                  fit.params,
                  holdout,
                  holdoutLengthOf(options.calibrationEnd, asOf, unit),
                )
              : null,
          },
        }
      : {}),
  };
}

function spendFitOf(
  repeat: readonly SpendSummary[],
  currency: string,
): { fit: GammaGammaFitResult | null; note?: string } {
  if (repeat.length < MIN_SPEND_CUSTOMERS)
    return {
      fit: null,
      note: `${repeat.length} repeat customers with spend in ${currency}; the spend model needs at least ${MIN_SPEND_CUSTOMERS}`,
    };
  try {
    return { fit: fitGammaGamma(repeat) };
  } catch (error) {
    return { fit: null, note: `the spend fit failed: ${(error as Error).message}` };
  }
}
