import { customerStreamName } from '@rapport/domain';
import type { EventStore } from '@rapport/event-store';
import { plainPersonalFields } from '../fields/event-protection';
import { envelopeKeyId, isEnvelope } from '../fields/field-cipher';
import { CUSTOMER_ERASED, personalFieldsOf } from '../fields/personal-fields';
import type { KeyStore } from '../keys/key-store.port';

export interface ErasureCheck {
  readonly customerId: string;
  readonly erased: boolean;
  /** What still holds personal data of the time before the erasure: empty when it is gone. */
  readonly problems: readonly string[];
  readonly eventsChecked: number;
}

/**
 * What the log itself proves about an erasure, without knowing the erased values: the stream
 * holds an erasure event, every personal field in it is sealed (none in plain text; after the
 * erasure they are "(erased)"), and no key that could open one of them exists any more.
 */
export async function checkErasure(
  raw: EventStore,
  keys: KeyStore,
  customerId: string,
): Promise<ErasureCheck> {
  const events = await raw.readStream(customerStreamName(customerId));
  let lastErasure = -1;
  events.forEach((e, i) => {
    if (e.type === CUSTOMER_ERASED) lastErasure = i;
  });
  const problems: string[] = [];
  if (events.length === 0) problems.push(`no events for customer ${customerId}`);
  else if (lastErasure < 0) problems.push('the stream holds no CustomerErased event');
  const current = (await keys.getMany([customerId])).get(customerId);
  // Before the erasure, and after it too: what arrived later must have been stored without.
  for (const event of lastErasure < 0 ? [] : events) {
    for (const field of plainPersonalFields(event.type, event.data))
      problems.push(`event ${event.id} (${event.type}) stores ${field} in plain text`);
    for (const field of personalFieldsOf(event.type)) {
      const value = event.data[field];
      if (isEnvelope(value) && current && envelopeKeyId(value) === current.keyId)
        problems.push(
          `event ${event.id} (${event.type}): the key that sealed ${field} still exists`,
        );
    }
  }
  return {
    customerId,
    erased: lastErasure >= 0 && problems.length === 0,
    problems,
    eventsChecked: events.length,
  };
}
