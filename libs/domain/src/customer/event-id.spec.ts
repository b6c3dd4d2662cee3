import fc from 'fast-check';
import { v5 as uuidv5 } from 'uuid';
import { eventIdFor } from './event-id';

const NAMESPACE = '6f1c6c0e-5a7b-4d3e-9c57-3b8f2b1d9a41';

describe('event ids', () => {
  it('are the same UUID v5 for the same source and touchpoint id', () => {
    expect(eventIdFor('pos', 'pos-1')).toBe(eventIdFor('pos', 'pos-1'));
    expect(eventIdFor('pos', 'pos-1')).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });

  it('differ between sources and between touchpoints', () => {
    expect(eventIdFor('pos', 'x')).not.toBe(eventIdFor('web', 'x'));
    expect(eventIdFor('pos', 'x')).not.toBe(eventIdFor('pos', 'y'));
  });

  it('never change: stored events and redeliveries must keep meeting', () => {
    expect(eventIdFor('pos', 'pos-7781-0001')).toBe('d1b7e6a9-2e11-5a8d-8d2d-5b3f7165f662');
    expect(eventIdFor('web', 'ü-1')).toBe('cc5d28bf-1aea-53a5-b92f-197b8122d1dc');
  });

  it('are the UUID v5 of "source/touchpointId" for any text, long names included', () => {
    const anyText = fc.oneof(
      fc.string(),
      fc.string({ unit: 'grapheme' }),
      fc.string({ minLength: 400 }),
    );
    fc.assert(
      fc.property(anyText, anyText, (source, touchpointId) => {
        expect(eventIdFor(source, touchpointId)).toBe(
          uuidv5(`${source}/${touchpointId}`, NAMESPACE),
        );
      }),
      { numRuns: 500 },
    );
  });
});
