/** A rebuild's progress as the API answers it: the example in both routes' OpenAPI. */
export const REBUILD_EXAMPLE = {
  id: '5d0c5b0e-8f7e-4b7a-9c55-2f1f7c0f6a11',
  projection: 'customer-view',
  mode: 'replay',
  state: 'building',
  generation: 2,
  fromGeneration: 1,
  resumed: false,
  position: '182000',
  target: '1048575',
  eventsApplied: 182001,
  eventsPerSecond: 151200,
  startedAt: '2026-11-27T12:00:00.000Z',
};
