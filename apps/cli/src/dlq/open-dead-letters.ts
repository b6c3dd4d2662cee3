import type { DeadLetterRecord } from '@rapport/messaging';
import { loadConfig } from '../shared/lib/config.lib';
import {
  createKeyStore,
  isEnvelope,
  openDeadLetterValue,
  sealedForOf,
} from '../shared/lib/privacy.lib';

/**
 * Dead letters with their values opened (sealed with the customer's key, or the day key of a
 * letter that names no customer); erased or expired: "(erased)".
 */
export async function openDeadLetterValues(
  letters: readonly DeadLetterRecord[],
): Promise<DeadLetterRecord[]> {
  const config = loadConfig(process.env);
  // Only sealed letters need the key store (and a DATA_DIR to find it in).
  if (!letters.some((l) => isEnvelope(l.value))) return [...letters];
  const keys = createKeyStore(config.privacy);
  try {
    const opened: DeadLetterRecord[] = [];
    for (const letter of letters) {
      const value = await openDeadLetterValue(sealedForOf(letter), letter.value, keys);
      opened.push({ ...letter, value: value === undefined ? '(erased)' : value });
    }
    return opened;
  } finally {
    await keys.close();
  }
}
