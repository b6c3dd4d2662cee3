import type { Channel } from '@rapport/domain';
import type { ComplaintFact, DateInput } from '@rapport/analytics';
import type { CustomerFacts } from '../population';

/** Fixed slots at the start of {@link CompactFacts}' numbers; the lists follow. */
const REVENUE = 0;
const PURCHASES = 1;
const CANCELLATIONS = 2;
const COMPLAINTS = 3;
const TOUCH_RUNS = 4;
/** 0: no value facts; 1: value facts. */
const HAS_VALUE = 5;
/** NaN: no spend summary (null). */
const SPEND_X = 6;
const SPEND_MEAN = 7;
const CALL_SECONDS = 8;
const USAGE_COMPLAINTS = 9;
const USAGE_CANCELLATIONS = 10;
const EMAILS_SENT = 11;
const USAGE_BY_DAY_KNOWN = 12;
const HEADER = 13;

/**
 * One customer's facts as kept between refreshes: every number and instant in one
 * Float64Array (instants as epoch ms), the few strings beside it. The facts as read from a
 * view are a dozen objects and arrays and a string per instant, about 1.5 KB a customer that
 * the collector marks on every full collection; a million customers' facts kept so filled the
 * heap and stalled the thread for seconds.
 *
 * `facts()` gives them back with instants as epoch ms where the insights only compute with
 * them (purchases, cancellations, complaints, touchpoint days: read through toEpochMs, the same
 * number for the string and its ms, in the same order) and as the original strings where a row
 * shows them (first and last seen).
 */
export class CompactFacts {
  private constructor(
    readonly customerId: string,
    private readonly numbers: Float64Array,
    private readonly firstSeenAt: string,
    private readonly lastSeenAt: string | null,
    private readonly channels: readonly Channel[],
    private readonly otherCurrencies: readonly string[] | undefined,
    private readonly complaintIds: readonly string[] | undefined,
  ) {}

  static of(facts: CustomerFacts): CompactFacts {
    const { customerId, revenueMinor, churnFacts, value } = facts.inputs;
    const touchRuns = runsOf(churnFacts.touchpointDates);
    const numbers = new Float64Array(
      HEADER +
        churnFacts.purchaseDates.length +
        churnFacts.cancellationDates.length +
        2 * churnFacts.complaints.length +
        touchRuns.length,
    );
    numbers[REVENUE] = revenueMinor;
    numbers[PURCHASES] = churnFacts.purchaseDates.length;
    numbers[CANCELLATIONS] = churnFacts.cancellationDates.length;
    numbers[COMPLAINTS] = churnFacts.complaints.length;
    numbers[TOUCH_RUNS] = touchRuns.length / 2;
    numbers[HAS_VALUE] = value ? 1 : 0;
    numbers[SPEND_X] = value?.spend ? value.spend.x : Number.NaN;
    numbers[SPEND_MEAN] = value?.spend ? value.spend.meanSpend : Number.NaN;
    numbers[CALL_SECONDS] = value?.usage.callSeconds ?? 0;
    numbers[USAGE_COMPLAINTS] = value?.usage.complaints ?? 0;
    numbers[USAGE_CANCELLATIONS] = value?.usage.cancellations ?? 0;
    numbers[EMAILS_SENT] = value?.usage.emailsSent ?? 0;
    numbers[USAGE_BY_DAY_KNOWN] = value?.usageByDayKnown ? 1 : 0;
    let at = HEADER;
    for (const date of churnFacts.purchaseDates) numbers[at++] = epochMs(date);
    for (const date of churnFacts.cancellationDates) numbers[at++] = epochMs(date);
    for (const complaint of churnFacts.complaints) {
      numbers[at++] = epochMs(complaint.raisedAt);
      numbers[at++] =
        complaint.resolvedAt === undefined ? Number.NaN : epochMs(complaint.resolvedAt);
    }
    numbers.set(touchRuns, at);
    return new CompactFacts(
      customerId,
      numbers,
      facts.firstSeenAt,
      facts.lastSeenAt,
      facts.channels,
      value?.otherCurrencies,
      churnFacts.complaints.length ? churnFacts.complaints.map((c) => c.complaintId) : undefined,
    );
  }

  /** The facts again, to compute with: built anew at each call, garbage right after. */
  facts(): CustomerFacts {
    const n = this.numbers;
    let at = HEADER;
    const purchaseDates = Array.from(n.subarray(at, (at += n[PURCHASES])));
    const cancellationDates = Array.from(n.subarray(at, (at += n[CANCELLATIONS])));
    const complaints: ComplaintFact[] = [];
    for (let i = 0; i < n[COMPLAINTS]; i++, at += 2)
      complaints.push({
        complaintId: this.complaintIds![i],
        raisedAt: n[at],
        ...(Number.isNaN(n[at + 1]) ? {} : { resolvedAt: n[at + 1] }),
      });
    const touchpointDates: number[] = [];
    for (let i = 0; i < n[TOUCH_RUNS]; i++, at += 2)
      for (let k = 0; k < n[at + 1]; k++) touchpointDates.push(n[at]);
    const spendX = n[SPEND_X];
    return {
      inputs: {
        customerId: this.customerId,
        revenueMinor: n[REVENUE],
        churnFacts: { purchaseDates, cancellationDates, complaints, touchpointDates },
        ...(n[HAS_VALUE]
          ? {
              value: {
                spend: Number.isNaN(spendX) ? null : { x: spendX, meanSpend: n[SPEND_MEAN] },
                usage: {
                  callSeconds: n[CALL_SECONDS],
                  complaints: n[USAGE_COMPLAINTS],
                  cancellations: n[USAGE_CANCELLATIONS],
                  emailsSent: n[EMAILS_SENT],
                },
                usageByDayKnown: n[USAGE_BY_DAY_KNOWN] === 1,
                otherCurrencies: this.otherCurrencies!,
                // customerValueFactsOf reads it from the same view field, '' as null.
                firstSeenAt: this.firstSeenAt === '' ? null : this.firstSeenAt,
              },
            }
          : {}),
      },
      firstSeenAt: this.firstSeenAt,
      lastSeenAt: this.lastSeenAt,
      channels: this.channels,
    };
  }
}

/** Equal neighbours as [value, count] pairs: a customer's touchpoint days repeat each day. */
function runsOf(dates: readonly DateInput[]): number[] {
  const runs: number[] = [];
  for (const date of dates) {
    const ms = epochMs(date);
    if (runs.length && runs[runs.length - 2] === ms) runs[runs.length - 1] += 1;
    else runs.push(ms, 1);
  }
  return runs;
}

function epochMs(at: DateInput): number {
  return typeof at === 'number' ? at : Date.parse(at);
}
