import { median } from '../math/median';
import { InvalidAnalyticsInputError } from '../shared/analytics.errors';
import { daysBetween, MS_PER_DAY, toEpochMs } from '../shared/date-input';
import type {
  ChurnContext,
  ChurnFacts,
  ChurnReason,
  ChurnRuleOptions,
} from './churn-signals.types';
import { interPurchaseGapDays } from './inter-purchase-gaps';

export const DEFAULT_CHURN_RULE_OPTIONS: Required<ChurnRuleOptions> = {
  overdueFactor: 4,
  minOwnGaps: 2,
  cancellationWindowDays: 90,
  minCancellations: 1,
  complaintAgeDays: 14,
  engagementDropRatio: 0.5,
  minPriorEngagementPer30Days: 1,
};

const RECENT_DAYS = 30;
const PRIOR_DAYS = 90;

/**
 * The rule-based churn signals that fire for a customer as of `asOf`, in a fixed order.
 * Events after `asOf` are ignored, so a past asOf replays what was known then.
 */
export function evaluateChurnSignals(facts: ChurnFacts, context: ChurnContext): ChurnReason[] {
  const asOf = toEpochMs(context.asOf);
  if (context.options) assertChurnRuleOptions(context.options);
  const options = { ...DEFAULT_CHURN_RULE_OPTIONS, ...context.options };
  const reasons = [
    purchaseOverdue(facts, asOf, options),
    recentCancellations(facts, asOf, options),
    unresolvedComplaints(facts, asOf, options),
    fallingEngagement(facts, asOf, options),
  ];
  return reasons.filter((r): r is ChurnReason => r !== null);
}

/**
 * Overdue only against the customer's own rhythm, and only beyond what is plausible for it: the
 * silence must exceed both `overdueFactor` × their median gap and the longest gap they have
 * had. If they bought at a steady rate, a gap over k medians would happen 2^-k of the time
 * (1 in 16 at the default 4); a customer who has come back after a longer silence before has
 * shown that one is normal for them. A customer with fewer than `minOwnGaps` gaps has no rhythm
 * to be late against (the base's gaps, mostly the frequent buyers', made most of the demo base
 * "overdue"): the BG/NBD P(alive) and the lifecycle segment speak for them.
 */
function purchaseOverdue(
  facts: ChurnFacts,
  asOf: number,
  options: Required<ChurnRuleOptions>,
): ChurnReason | null {
  const times = facts.purchaseDates.map(toEpochMs).filter((t) => t <= asOf);
  if (times.length === 0) return null;
  const gaps = interPurchaseGapDays(times, asOf);
  if (gaps.length < options.minOwnGaps) return null;
  const medianGap = median(gaps);
  if (medianGap === null || !(medianGap > 0)) return null;
  const longestGap = Math.max(...gaps);
  const overdueAfter = Math.max(options.overdueFactor * medianGap, longestGap);
  const daysSince = Math.floor(daysBetween(Math.max(...times), asOf));
  if (daysSince <= overdueAfter) return null;
  const ratio = daysSince / medianGap;
  return {
    code: 'PURCHASE_OVERDUE',
    explanation:
      `Last purchase ${daysSince} days ago: ${round1(ratio)}× the customer's median gap of ` +
      `${round1(medianGap)} days (over ${gaps.length} gaps), and longer than their longest gap ` +
      `of ${longestGap} days (overdue past ${options.overdueFactor}× the median and the longest gap).`,
    facts: {
      daysSinceLastPurchase: daysSince,
      medianGapDays: medianGap,
      longestGapDays: longestGap,
      ownGapCount: gaps.length,
      ratioToMedianGap: ratio,
      overdueRatioThreshold: options.overdueFactor,
      overdueAfterDays: overdueAfter,
    },
  };
}

function recentCancellations(
  facts: ChurnFacts,
  asOf: number,
  options: Required<ChurnRuleOptions>,
): ChurnReason | null {
  const since = asOf - options.cancellationWindowDays * MS_PER_DAY;
  const count = facts.cancellationDates.map(toEpochMs).filter((t) => t > since && t <= asOf).length;
  if (count < options.minCancellations) return null;
  return {
    code: 'RECENT_CANCELLATIONS',
    explanation: `${count} cancellation${count === 1 ? '' : 's'} in the last ${options.cancellationWindowDays} days.`,
    facts: { cancellations: count, windowDays: options.cancellationWindowDays },
  };
}

function unresolvedComplaints(
  facts: ChurnFacts,
  asOf: number,
  options: Required<ChurnRuleOptions>,
): ChurnReason | null {
  const ages: number[] = [];
  for (const complaint of facts.complaints) {
    const raised = toEpochMs(complaint.raisedAt);
    const resolved = complaint.resolvedAt === undefined ? null : toEpochMs(complaint.resolvedAt);
    const openAtAsOf = raised <= asOf && (resolved === null || resolved > asOf);
    const age = daysBetween(raised, asOf);
    if (openAtAsOf && age > options.complaintAgeDays) ages.push(Math.floor(age));
  }
  if (ages.length === 0) return null;
  const oldest = Math.max(...ages);
  return {
    code: 'UNRESOLVED_COMPLAINTS',
    explanation: `${ages.length} complaint${ages.length === 1 ? '' : 's'} open for more than ${options.complaintAgeDays} days (oldest ${oldest} days).`,
    facts: {
      openComplaints: ages.length,
      oldestAgeDays: oldest,
      minAgeDays: options.complaintAgeDays,
    },
  };
}

function fallingEngagement(
  facts: ChurnFacts,
  asOf: number,
  options: Required<ChurnRuleOptions>,
): ChurnReason | null {
  const recentStart = asOf - RECENT_DAYS * MS_PER_DAY;
  const priorStart = recentStart - PRIOR_DAYS * MS_PER_DAY;
  let recent = 0;
  let prior = 0;
  for (const at of facts.touchpointDates.map(toEpochMs)) {
    if (at > recentStart && at <= asOf) recent++;
    else if (at > priorStart && at <= recentStart) prior++;
  }
  const priorPer30 = (prior * RECENT_DAYS) / PRIOR_DAYS;
  if (priorPer30 < options.minPriorEngagementPer30Days) return null;
  const ratio = recent / priorPer30;
  if (ratio >= options.engagementDropRatio) return null;
  return {
    code: 'FALLING_ENGAGEMENT',
    explanation: `${recent} touchpoints in the last 30 days against ${round1(priorPer30)} per 30 days over the 90 days before (${Math.round(ratio * 100)}%).`,
    facts: {
      recentTouchpoints: recent,
      priorTouchpoints: prior,
      priorPer30Days: priorPer30,
      ratio,
      dropRatioThreshold: options.engagementDropRatio,
    },
  };
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

/** Options may come from query parameters; a NaN threshold would silently disable a rule. */
function assertChurnRuleOptions(options: ChurnRuleOptions): void {
  for (const [key, value] of Object.entries(options)) {
    if (typeof value !== 'number' || !(value >= 0) || !Number.isFinite(value)) {
      throw new InvalidAnalyticsInputError(`churn option ${key} must be a finite number >= 0`, {
        key,
        value,
      });
    }
  }
}
