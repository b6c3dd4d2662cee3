import type { IdentityQuestion } from './decide-identity';

/**
 * An identify call (Segment's `identify`): who someone is, with no activity. Its identifiers
 * are linked to one profile like a touchpoint's, but nothing lands on a customer stream, so
 * it never counts as the customer's activity. Validated and normalised at the edge.
 */
export interface IdentifyCall {
  readonly source: string;
  /** The caller's idempotency key: a retried call sends the same. */
  readonly messageId: string;
  /** Event time of the call. */
  readonly occurredAt: string;
  /** The customerId the call named (Segment's userId), if any. */
  readonly customerId?: string;
  /** Normalised, without duplicates and without the customerId. */
  readonly identifiers: ReadonlyArray<{ readonly type: string; readonly value: string }>;
}

/** The question an identify call asks of the graph, its evidence naming the call. */
export function identifyQuestion(
  call: IdentifyCall,
  digest: (identifier: { readonly type: string; readonly value: string }) => string,
): IdentityQuestion {
  return {
    ...(call.customerId === undefined ? {} : { customerId: call.customerId }),
    identifiers: call.identifiers.map((identifier) => ({
      type: identifier.type,
      value: identifier.value,
      digest: digest(identifier),
    })),
    evidence: {
      source: call.source,
      call: 'identify',
      messageId: call.messageId,
      occurredAt: call.occurredAt,
    },
  };
}
