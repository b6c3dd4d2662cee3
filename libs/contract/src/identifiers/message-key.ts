import { identifierKey, type IncomingTouchpoint } from '@rapport/domain';

/**
 * The Kafka key a producer should give a touchpoint: its customerId, else its first identifier
 * as `type:value`. Messages of one person keyed by different identifiers may land on different
 * partitions; resolution (not the partition) decides their profile.
 */
export function messageKeyOf(touchpoint: IncomingTouchpoint): string {
  if (touchpoint.customerId !== undefined) return touchpoint.customerId;
  const first = touchpoint.identifiers?.[0];
  if (!first) throw new Error('a decoded touchpoint names a customerId or an identifier');
  return identifierKey(first);
}

/**
 * Whether a message key names the touchpoint it carries: its customerId, or one of its
 * identifiers, as `type:value` or the bare value (normalised either way).
 */
export function keyNamesTouchpoint(key: string, touchpoint: IncomingTouchpoint): boolean {
  if (key === touchpoint.customerId) return true;
  return (touchpoint.identifiers ?? []).some(
    (identifier) => key === identifier.value || key === identifierKey(identifier),
  );
}
