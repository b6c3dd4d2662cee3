import { mergeSorted } from '@rapport/read-store';
import type { CustomerView } from '@rapport/projections';
import {
  customerFactsOrExclusion,
  knownAsOf,
  type ExcludedCustomer,
  type InsightsOptions,
} from '../population';
import { CompactFacts } from './compact-facts';
import { factsValidUntil } from './facts-validity';

type FactsSettings = Pick<InsightsOptions, 'currency' | 'windowMonths'>;

/** A customer's kept facts, compact, or why they are left out. */
export type KeptFactsOutcome =
  | { readonly facts: CompactFacts; readonly excluded?: undefined }
  | { readonly excluded: ExcludedCustomer; readonly facts?: undefined };

/**
 * Every customer's facts as a full refresh would read them from their view, kept between
 * refreshes so that the next one reads again only the views that changed (the projector says
 * which) and those whose facts "as of now" moved on by themselves (an event left the trailing
 * window, or a dated one became due): see factsValidUntil. Held in key order, the order in which
 * a full pass meets the views, so that everything gathered from it comes out in the same order.
 */
export class CustomerFactsCache {
  /** Each customer's slot in the columns below. */
  private readonly slots = new Map<string, number>();
  /** Their facts as of asOf, compact; undefined while they are not known as of it. */
  private readonly outcomes: Array<KeptFactsOutcome | undefined> = [];
  /** Until when (epoch ms, exclusive) each customer's facts hold; a column, not an object each. */
  private validUntil = new Float64Array(1_024);
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
    return this.collection === collection && this.slots.size > 0 && Date.parse(asOf) >= this.asOfMs;
  }

  /**
   * Forgets everything, for a pass that reads every view as of `asOf`; followed on only once
   * that pass is `completed`.
   */
  restart(asOf: string): void {
    this.slots.clear();
    this.outcomes.length = 0;
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
    for (const [key, slot] of this.slots) if (this.validUntil[slot] <= asOfMs) due.push(key);
    return due;
  }

  /**
   * The customer's facts read from their view, kept and returned (an exclusion when the view
   * is parked or its facts invalid; undefined when the customer is not known as of asOf).
   */
  put(view: CustomerView): KeptFactsOutcome | undefined {
    const asOf = this.asOf;
    const read = knownAsOf(view, asOf)
      ? customerFactsOrExclusion(view, { ...this.settings, asOf })
      : undefined;
    const outcome: KeptFactsOutcome | undefined = read?.facts
      ? { facts: CompactFacts.of(read.facts) }
      : read;
    let slot = this.slots.get(view.customerId);
    if (slot === undefined) {
      slot = this.outcomes.length;
      this.slots.set(view.customerId, slot);
      this.unsorted.push(view.customerId);
      if (slot === this.validUntil.length) {
        const grown = new Float64Array(slot * 2);
        grown.set(this.validUntil);
        this.validUntil = grown;
      }
    }
    this.outcomes[slot] = outcome;
    this.validUntil[slot] = factsValidUntil(view, this.asOfMs, this.settings.windowMonths);
    return outcome;
  }

  /** A customer whose view is gone (a dropped record): left out from now on. */
  remove(key: string): void {
    const slot = this.slots.get(key);
    if (slot === undefined) return;
    this.outcomes[slot] = undefined;
    this.validUntil[slot] = Number.POSITIVE_INFINITY;
  }

  /** Each customer's facts, in key order (customers not known as of asOf left out). */
  *inKeyOrder(): Generator<KeptFactsOutcome> {
    if (this.unsorted.length) {
      this.sorted = mergeSorted(this.sorted, this.unsorted.sort(byCodeUnits));
      this.unsorted = [];
    }
    for (const key of this.sorted) {
      const outcome = this.outcomes[this.slots.get(key)!];
      if (outcome) yield outcome;
    }
  }
}

function byCodeUnits(x: string, y: string): number {
  return x < y ? -1 : x > y ? 1 : 0;
}
