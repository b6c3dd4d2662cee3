import type { CustomerView } from '@rapport/projections';
import {
  customerFactsOrExclusion,
  knownAsOf,
  type CustomerFactsOutcome,
  type InsightsOptions,
} from '../population';
import { factsValidUntil } from './facts-validity';

/** One customer's facts as of the cache's asOf; none while they are not known as of it. */
interface Cached {
  outcome: CustomerFactsOutcome | undefined;
  /** The facts hold for any asOf before this (epoch ms); read the view again from it on. */
  validUntil: number;
}

type FactsSettings = Pick<InsightsOptions, 'currency' | 'windowMonths'>;

/**
 * Every customer's facts as a full refresh would read them from their view, kept between
 * refreshes so that the next one reads again only the views that changed (the projector says
 * which) and those whose facts "as of now" moved on by themselves (an event left the trailing
 * window, or a dated one became due): see factsValidUntil. Held in key order, the order in which
 * a full pass meets the views, so that everything gathered from it comes out in the same order.
 */
export class CustomerFactsCache {
  private readonly entries = new Map<string, Cached>();
  private sorted: string[] = [];
  private unsorted: string[] = [];
  /** The view collection (blue/green generation) the facts were read from. */
  private collection: string | undefined;
  private asOf = '';
  private asOfMs = Number.NEGATIVE_INFINITY;

  constructor(private readonly settings: FactsSettings) {}

  /**
   * Whether facts read for `asOf` from `collection` may be updated from here: the same
   * generation, and an asOf not before the one they hold (a clock set back reads them all).
   */
  followsOn(collection: string, asOf: string): boolean {
    return (
      this.collection === collection && this.entries.size > 0 && Date.parse(asOf) >= this.asOfMs
    );
  }

  /**
   * Forgets everything, for a pass that reads every view as of `asOf`; followed on only once
   * that pass is `completed`.
   */
  restart(asOf: string): void {
    this.entries.clear();
    this.sorted = [];
    this.unsorted = [];
    this.collection = undefined;
    this.asOf = asOf;
    this.asOfMs = Date.parse(asOf);
  }

  /** The pass since `restart` has read every view of `collection`. */
  completed(collection: string): void {
    this.collection = collection;
  }

  /** Moves to a later asOf: the customers whose facts it changes, to be read again. */
  advanceTo(asOf: string): string[] {
    const asOfMs = Date.parse(asOf);
    this.asOf = asOf;
    this.asOfMs = asOfMs;
    const due: string[] = [];
    for (const [key, cached] of this.entries) if (cached.validUntil <= asOfMs) due.push(key);
    return due;
  }

  /**
   * The customer's facts read from their view, kept and returned (an exclusion when the view
   * is parked or its facts invalid; undefined when the customer is not known as of asOf).
   */
  put(view: CustomerView): CustomerFactsOutcome | undefined {
    const asOf = this.asOf;
    const outcome = knownAsOf(view, asOf)
      ? customerFactsOrExclusion(view, { ...this.settings, asOf })
      : undefined;
    const validUntil = factsValidUntil(view, this.asOfMs, this.settings.windowMonths);
    const cached = this.entries.get(view.customerId);
    if (cached) {
      cached.outcome = outcome;
      cached.validUntil = validUntil;
      return outcome;
    }
    this.entries.set(view.customerId, { outcome, validUntil });
    this.unsorted.push(view.customerId);
    return outcome;
  }

  /** A customer whose view is gone (a dropped record): left out from now on. */
  remove(key: string): void {
    const cached = this.entries.get(key);
    if (cached) cached.outcome = undefined;
  }

  /** Each customer's facts, in key order (customers not known as of asOf left out). */
  *inKeyOrder(): Generator<CustomerFactsOutcome> {
    if (this.unsorted.length) {
      this.sorted = mergeSorted(this.sorted, this.unsorted.sort(byCodeUnits));
      this.unsorted = [];
    }
    for (const key of this.sorted) {
      const outcome = this.entries.get(key)!.outcome;
      if (outcome) yield outcome;
    }
  }
}

function byCodeUnits(x: string, y: string): number {
  return x < y ? -1 : x > y ? 1 : 0;
}

function mergeSorted(left: readonly string[], right: readonly string[]): string[] {
  const merged = new Array<string>(left.length + right.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < left.length && j < right.length)
    merged[k++] = right[j] < left[i] ? right[j++] : left[i++];
  while (i < left.length) merged[k++] = left[i++];
  while (j < right.length) merged[k++] = right[j++];
  return merged;
}
