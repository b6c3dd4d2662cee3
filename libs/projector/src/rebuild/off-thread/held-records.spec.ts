import type { ParkedCustomer } from '../../parking/parked-customers';
import { HeldRecords } from './held-records';

const record = (key: string, position: number, value: unknown) => ({
  key,
  position: BigInt(position),
  value,
});

const parked = (customerId: string, position: number): ParkedCustomer =>
  ({ customerId, position: String(position) }) as unknown as ParkedCustomer;

const text = (json: Uint8Array) => JSON.parse(new TextDecoder().decode(json)) as unknown;

describe('HeldRecords', () => {
  describe('when a customer is folded in several windows before a release', () => {
    it('sends it once, as it was last folded', () => {
      const held = new HeldRecords();
      held.hold([record('C-1', 1, { n: 1 }), record('C-2', 2, { n: 1 })], []);
      held.hold([record('C-1', 3, { n: 2 })], []);

      const writes = held.release(50);

      expect(writes).toHaveLength(1);
      expect(writes[0].changes.map((r) => [r.key, r.position, text(r.json)])).toEqual([
        ['C-1', 3n, { n: 2 }],
        ['C-2', 2n, { n: 1 }],
      ]);
      expect(held.pending).toBe(0);
    });
  });

  describe('after a release', () => {
    it('still reads the records back, each as an object of its own, and sends only what changes next', () => {
      const held = new HeldRecords();
      held.hold([record('C-1', 1, { n: 1 }), record('C-2', 2, { n: 1 })], []);
      held.release(50);

      const first = held.records(['C-1', 'C-3']);
      expect([...first.values()]).toEqual([record('C-1', 1, { n: 1 })]);
      (first.get('C-1')!.value as { n: number }).n = 99;
      expect(held.records(['C-1']).get('C-1')!.value).toEqual({ n: 1 });
      expect(held.has('C-2')).toBe(true);
      expect(held.has('C-3')).toBe(false);

      held.hold([record('C-2', 4, { n: 2 })], []);
      expect(held.release(50).flatMap((w) => w.changes.map((r) => r.key))).toEqual(['C-2']);
    });
  });

  describe('when more records are pending than a request carries', () => {
    it('splits them, with the parked customers in the first request, before their records', () => {
      const held = new HeldRecords();
      held.hold(
        [1, 2, 3, 4, 5].map((n) => record(`C-${n}`, n, { n })),
        [parked('C-4', 4)],
      );

      const writes = held.release(2);

      expect(writes.map((w) => w.changes.map((r) => r.key))).toEqual([
        ['C-1', 'C-2'],
        ['C-3', 'C-4'],
        ['C-5'],
      ]);
      expect(writes.map((w) => w.parked.map((p) => p.customerId))).toEqual([['C-4'], [], []]);
    });

    it('sends parked customers with no record changed in a request of their own', () => {
      const held = new HeldRecords();
      held.hold([], [parked('C-9', 9)]);
      expect(held.release(2)).toEqual([{ changes: [], parked: [parked('C-9', 9)] }]);
      expect(held.release(2)).toEqual([]);
    });
  });

  describe('when a merge or an undo was written by the main thread', () => {
    it('holds its records without sending them again, and forgets the customers it removed', () => {
      const held = new HeldRecords();
      held.hold([record('C-1', 1, { n: 1 }), record('C-2', 2, { n: 1 })], []);

      held.regrouped({
        records: [record('C-1', 5, { merged: true })],
        removed: ['C-2'],
        parked: [],
        unparked: [],
      });

      expect(held.release(50)).toEqual([]);
      expect(held.has('C-2')).toBe(false);
      expect(held.records(['C-1']).get('C-1')).toEqual(record('C-1', 5, { merged: true }));
    });
  });
});
