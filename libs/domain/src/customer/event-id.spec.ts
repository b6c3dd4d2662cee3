import { eventIdFor } from './event-id';

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
});
