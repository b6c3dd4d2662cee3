import { ReadSlice } from './read-slice';

describe('ReadSlice', () => {
  let clock = 0;
  const now = () => clock;
  beforeEach(() => (clock = 0));

  describe('when events are read faster than the time bound', () => {
    it('is full at the event bound, and starts counting again after a turn', async () => {
      const slice = new ReadSlice({ events: 3, ms: 50 }, now);
      expect([slice.counted(), slice.counted(), slice.counted()]).toEqual([false, false, true]);
      await slice.nextTurn();
      expect([slice.counted(), slice.counted()]).toEqual([false, false]);
    });
  });

  describe('when few events take longer than the time bound', () => {
    it('is full once the time is spent, and the next slice gets its own time', async () => {
      const slice = new ReadSlice({ events: 1_000, ms: 50 }, now);
      clock = 49;
      expect(slice.counted()).toBe(false);
      clock = 50;
      expect(slice.counted()).toBe(true);
      await slice.nextTurn();
      clock = 99;
      expect(slice.counted()).toBe(false);
    });
  });
});
