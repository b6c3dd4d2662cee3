import type { Money } from '@rapport/domain';

export const SIGNAL_RULES = [
  'thank-you',
  'complaint-follow-up',
  'cancellation-save',
  'freezing-point',
  'tier-move',
  'win-back',
] as const;

/** Rules evaluated on the whole population as of an instant, not on one customer's events. */
export const POPULATION_SIGNAL_RULES = ['tier-move', 'win-back'] as const;

export type SignalRuleName = (typeof SIGNAL_RULES)[number];

export function isSignalRuleName(name: string): name is SignalRuleName {
  return (SIGNAL_RULES as readonly string[]).includes(name);
}

/**
 * Whom a signal is about. Today a customer id; once identity resolution lands a profile id
 * takes its place with `kind: 'profile'`, and consumers that key on `kind` + `id` keep working.
 */
export interface SignalSubject {
  readonly kind: 'customer';
  readonly id: string;
}

/**
 * An event a signal rests on: the store's deterministic event id, its event time and its global
 * position in the store (decimal; null only where the facts were folded without positions).
 */
export interface EvidenceEvent {
  readonly eventId: string;
  readonly type: string;
  readonly occurredAt: string;
  readonly position: string | null;
}

export interface SignalEvidence {
  readonly events: readonly EvidenceEvent[];
  /** The figures the rule compared (amounts in minor units, hours, days, shares). */
  readonly figures: Readonly<Record<string, number | string>>;
  /**
   * For the population rules: the event-time instant (a window boundary) the tiers and risks
   * were computed as of.
   */
  readonly snapshot?: { readonly asOf: string };
}

/**
 * A retention action derived from a customer's events. Everything in it follows from the
 * events and the rule's thresholds, never from the wall clock: the same history gives the same
 * signal, byte for byte, which is what lets delivery recognise a redelivery by its id.
 */
export interface Signal {
  /** UUID v5 of rule, rule version, subject and trigger: stable across replays. */
  readonly id: string;
  readonly rule: SignalRuleName;
  readonly ruleVersion: number;
  /** What set it off within the rule (`first-purchase`, `complaint-open`, …). */
  readonly trigger: string;
  readonly subject: SignalSubject;
  readonly reason: string;
  readonly evidence: SignalEvidence;
  /** Integer minor units; null where the customer has no revenue to speak of. */
  readonly valueAtStake: Money | null;
  readonly suggestedAction: string;
  /** Event time from which the action is due. */
  readonly dueAt: string;
  /** Event time after which acting on it is pointless: it is no longer delivered. */
  readonly expiresAt: string;
}
