import type { ValueTier } from '@rapport/analytics';

/** Thresholds of each rule; each rule can be switched off. Validated by libs/config at start. */
export interface SignalRulesConfig {
  readonly thankYou: {
    readonly enabled: boolean;
    /** Purchase counts that earn a thank-you (the n-th purchase). */
    readonly milestones: readonly number[];
    /** A purchase at least this many times the median of the customer's previous orders. */
    readonly largeOrderFactor: number;
    /** Previous orders (same currency) needed before "usual order value" means anything. */
    readonly largeOrderMinPrevious: number;
    readonly expiresAfterDays: number;
  };
  readonly complaintFollowUp: {
    readonly enabled: boolean;
    readonly openAfterHours: number;
    readonly satisfactionAfterDays: number;
    readonly expiresAfterDays: number;
  };
  readonly cancellationSave: {
    readonly enabled: boolean;
    /** How many of the customer's latest orders make "recent". */
    readonly recentOrders: number;
    /** Share of those orders cancelled (0–1] at which the rule fires. */
    readonly share: number;
    readonly minCancellations: number;
    readonly expiresAfterDays: number;
  };
  readonly freezingPoint: {
    readonly enabled: boolean;
    /** Silence longer than this many times the customer's median gap between purchases. */
    readonly gapMultiple: number;
    /** Purchases needed (so that a gap is typical): at least 3. */
    readonly minPurchases: number;
    readonly expiresAfterDays: number;
  };
  /** Evaluated on the population as of each window boundary that event time passes. */
  readonly tierMove: {
    readonly enabled: boolean;
    /** Also report moves up into tier A or B (moves down out of A or B always are). */
    readonly up: boolean;
    readonly expiresAfterDays: number;
  };
  readonly winBack: {
    readonly enabled: boolean;
    /** The tiers whose customers are worth winning back. */
    readonly tiers: readonly ValueTier[];
    /**
     * Customers seen by the rule for the first time (all of them at its first evaluation) who
     * are already at high risk: at most this many get a signal in one evaluation, largest value
     * at risk first; the others stay on the at-risk list. 0: none (only turns to high fire).
     */
    readonly alreadyHighLimit: number;
    readonly expiresAfterDays: number;
  };
}

export const DEFAULT_SIGNAL_RULES: SignalRulesConfig = {
  thankYou: {
    enabled: true,
    milestones: [5, 10, 25, 50, 100],
    largeOrderFactor: 3,
    largeOrderMinPrevious: 3,
    expiresAfterDays: 14,
  },
  complaintFollowUp: {
    enabled: true,
    openAfterHours: 48,
    satisfactionAfterDays: 7,
    expiresAfterDays: 7,
  },
  cancellationSave: {
    enabled: true,
    recentOrders: 5,
    share: 0.4,
    minCancellations: 2,
    expiresAfterDays: 14,
  },
  freezingPoint: { enabled: true, gapMultiple: 2, minPurchases: 3, expiresAfterDays: 30 },
  tierMove: { enabled: true, up: true, expiresAfterDays: 30 },
  winBack: { enabled: true, tiers: ['A', 'B'], alreadyHighLimit: 100, expiresAfterDays: 30 },
};
