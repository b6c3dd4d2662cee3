import type { Channel } from '@rapport/domain';
import type { ComplaintFact, DateInput } from '@rapport/analytics';
import type { CustomerFacts, PopulationFacts } from '../population';

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
 * array of doubles (instants as epoch ms), the few strings beside it. The facts as read from a
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
    private readonly numbers: readonly number[],
    private readonly firstSeenAt: string,
    private readonly lastSeenAt: string | null,
    private readonly channels: readonly Channel[],
    private readonly otherCurrencies: readonly string[] | undefined,
    private readonly complaintIds: readonly string[] | undefined,
  ) {}

  static of(facts: CustomerFacts): CompactFacts {
    const { customerId, revenueMinor, churnFacts, value } = facts.inputs;
    // A plain array of doubles, not a typed array: V8 keeps its numbers unboxed in one block
    // with a small header, where each typed array brings a buffer object of its own.
    const numbers: number[] = [
      revenueMinor,
      churnFacts.purchaseDates.length,
      churnFacts.cancellationDates.length,
      churnFacts.complaints.length,
      0,
      value ? 1 : 0,
      value?.spend ? value.spend.x : Number.NaN,
      value?.spend ? value.spend.meanSpend : Number.NaN,
      value?.usage.callSeconds ?? 0,
      value?.usage.complaints ?? 0,
      value?.usage.cancellations ?? 0,
      value?.usage.emailsSent ?? 0,
      value?.usageByDayKnown ? 1 : 0,
    ];
    for (const date of churnFacts.purchaseDates) numbers.push(epochMs(date));
    for (const date of churnFacts.cancellationDates) numbers.push(epochMs(date));
    for (const complaint of churnFacts.complaints)
      numbers.push(
        epochMs(complaint.raisedAt),
        complaint.resolvedAt === undefined ? Number.NaN : epochMs(complaint.resolvedAt),
      );
    const runsFrom = numbers.length;
    for (const date of churnFacts.touchpointDates) {
      const ms = epochMs(date);
      if (numbers.length > runsFrom && numbers[numbers.length - 2] === ms)
        numbers[numbers.length - 1] += 1;
      else numbers.push(ms, 1);
    }
    numbers[TOUCH_RUNS] = (numbers.length - runsFrom) / 2;
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

  /**
   * What the population model needs, as populationFactsOf(facts()) gives it, without building
   * the rest (touchpoint days, complaints, usage) only to drop it: done for every customer at
   * every refresh.
   */
  populationFacts(): PopulationFacts {
    const n = this.numbers;
    const purchasesFrom = HEADER;
    const cancellationsFrom = purchasesFrom + n[PURCHASES];
    const spendX = n[SPEND_X];
    return {
      customerId: this.customerId,
      revenueMinor: n[REVENUE],
      purchaseDates: n.slice(purchasesFrom, cancellationsFrom),
      cancellationDates: n.slice(cancellationsFrom, cancellationsFrom + n[CANCELLATIONS]),
      ...(n[HAS_VALUE]
        ? {
            spend: Number.isNaN(spendX) ? null : { x: spendX, meanSpend: n[SPEND_MEAN] },
            otherCurrencies: this.otherCurrencies!,
          }
        : {}),
    };
  }

  /** The facts again, to compute with: built anew at each call, garbage right after. */
  facts(): CustomerFacts {
    const n = this.numbers;
    let at = HEADER;
    const purchaseDates = n.slice(at, (at += n[PURCHASES]));
    const cancellationDates = n.slice(at, (at += n[CANCELLATIONS]));
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

function epochMs(at: DateInput): number {
  return typeof at === 'number' ? at : Date.parse(at);
}
