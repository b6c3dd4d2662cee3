export default async function globalTeardown(): Promise<void> {
  const stops =
    (globalThis as { __rapportStops?: Array<() => Promise<void>> }).__rapportStops ?? [];
  for (const stop of stops.reverse()) await stop();
}
