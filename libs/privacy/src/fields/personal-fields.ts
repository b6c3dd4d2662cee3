/**
 * Which fields of which stored event are personal data: identifiers, names and free text.
 * Amounts, dates, channels, types, order and complaint ids and categories stay readable, so
 * tiers, revenue and churn are the same before and after an erasure.
 *
 * Fields are top-level keys of the event's `data`. Identity fields (email, phone, loyalty
 * card, anonymous id, name) join this table when identity resolution brings them into the
 * contract.
 */
export const PERSONAL_FIELDS: Readonly<Record<string, readonly string[]>> = {
  // A URL's path and query carry search terms, emails and tokens; a session id is an
  // anonymous identifier.
  WebVisitRecorded: ['url', 'referrer', 'sessionId'],
  CallLogged: ['reason', 'outcome'],
  OrderCancelled: ['reason'],
  ComplaintResolved: ['resolution'],
  // An identifier's normalised value (email, phone, …), sealed with its profile's key; its
  // stream is named by a keyed digest, so erasing the profile leaves nothing readable.
  IdentifierLinked: ['value'],
};

/** The erasure event's type: it names the customer and nothing personal. */
export const CUSTOMER_ERASED = 'CustomerErased';

export function personalFieldsOf(eventType: string): readonly string[] {
  return PERSONAL_FIELDS[eventType] ?? NONE;
}

const NONE: readonly string[] = [];
