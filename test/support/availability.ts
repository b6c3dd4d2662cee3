export type Availability<T> =
  | { readonly available: true; readonly via: string; readonly value: T }
  | { readonly available: false; readonly reason: string };

/** What global-setup resolved for EventStoreDB (read synchronously at collection time). */
export function eventStoreDbAvailability(): Availability<string> {
  const url = process.env.RAPPORT_TEST_EVENTSTORE_URL;
  if (url)
    return {
      available: true,
      via: process.env.RAPPORT_TEST_EVENTSTORE_VIA ?? 'environment',
      value: url,
    };
  return {
    available: false,
    reason: process.env.RAPPORT_TEST_EVENTSTORE_SKIP ?? 'global setup did not resolve EventStoreDB',
  };
}

/** `describe`, or `describe.skip` with the reason printed, so a skip can never pass for a pass. */
export function describeIfAvailable<T>(
  title: string,
  availability: Availability<T>,
  body: (value: T) => void,
): void {
  if (availability.available) {
    describe(`${title} [via ${availability.via}]`, () => body(availability.value));
    return;
  }
  process.stderr.write(`\n[SKIPPED] ${title}: ${availability.reason}\n`);
  describe.skip(`${title} [skipped: ${availability.reason}]`, () => body(undefined as T));
}

/**
 * The event stores an end-to-end suite runs on: the embedded default always, EventStoreDB
 * when global setup resolved one. `env` is undefined for a store that is not available.
 */
export function eventStoreTargets(): Array<[string, Record<string, string> | undefined]> {
  const esdb = eventStoreDbAvailability();
  return [
    ['SQLite (embedded default)', {}],
    [
      esdb.available ? `EventStoreDB via ${esdb.via}` : `EventStoreDB (skipped: ${esdb.reason})`,
      esdb.available ? { EVENTSTORE_URL: esdb.value } : undefined,
    ],
  ];
}
