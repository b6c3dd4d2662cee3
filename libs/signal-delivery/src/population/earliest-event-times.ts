const INITIAL_SLOTS = 1_024;
const NONE = -1;

/**
 * Each customer's earliest event time among its events after a position that only moves
 * forward, while events are added after it in position order: in a rebuild of the ledger that
 * is up to the whole log, so it is held in columns (typed arrays), not an object per event.
 *
 * Per customer a queue of the events that may still become its earliest once the position
 * passes those before them (a monotonic queue): an event is dropped from it as soon as a later
 * one of the same customer is no later in event time, since the later one outlives it. The
 * queue's times rise from front to back, so its front is the earliest, and adding or passing an
 * event costs O(1) amortized, whatever the number of events held.
 */
export class EarliestEventTimes {
  private readonly indexOf = new Map<string, number>();
  private readonly customers: string[] = [];
  /** Per customer (by index): the first and last slot of its queue, NONE when empty. */
  private fronts: number[] = [];
  private backs: number[] = [];
  // Slots in the order events were added (position order); [head, size) may still be queued.
  private positions = new BigInt64Array(INITIAL_SLOTS);
  private times = new Float64Array(INITIAL_SLOTS);
  /** The customer index of a queued slot; NONE once a later event dropped it. */
  private owners = new Int32Array(INITIAL_SLOTS);
  private nexts = new Int32Array(INITIAL_SLOTS);
  private prevs = new Int32Array(INITIAL_SLOTS);
  private head = 0;
  private size = 0;

  /** An event of `customerId` at `position` (after every one added before) and event time `at`. */
  add(customerId: string, position: bigint, at: number): void {
    const customer = this.customerIndex(customerId);
    this.makeRoom();
    let back = this.backs[customer];
    while (back !== NONE && this.times[back] >= at) {
      this.owners[back] = NONE;
      back = this.prevs[back];
    }
    const slot = this.size++;
    this.positions[slot] = position;
    this.times[slot] = at;
    this.owners[slot] = customer;
    this.nexts[slot] = NONE;
    this.prevs[slot] = back;
    if (back === NONE) this.fronts[customer] = slot;
    else this.nexts[back] = slot;
    this.backs[customer] = slot;
  }

  /** Forgets the events at or before `position`: they are no longer after it. */
  passUpTo(position: bigint): void {
    for (; this.head < this.size && this.positions[this.head] <= position; this.head++) {
      const customer = this.owners[this.head];
      if (customer === NONE) continue;
      // Queues hold slots in the order they were added: one still queued is its queue's front.
      const next = this.nexts[this.head];
      this.fronts[customer] = next;
      if (next === NONE) this.backs[customer] = NONE;
      else this.prevs[next] = NONE;
    }
    this.release();
  }

  /** Each customer with an event held, with the earliest event time among its events held. */
  *earliest(): IterableIterator<readonly [customerId: string, at: number]> {
    for (let customer = 0; customer < this.customers.length; customer++) {
      const front = this.fronts[customer];
      if (front !== NONE) yield [this.customers[customer], this.times[front]];
    }
  }

  private customerIndex(customerId: string): number {
    let customer = this.indexOf.get(customerId);
    if (customer === undefined) {
      customer = this.customers.length;
      this.indexOf.set(customerId, customer);
      this.customers.push(customerId);
      this.fronts.push(NONE);
      this.backs.push(NONE);
    }
    return customer;
  }

  /**
   * Room for one more slot: the passed slots are reused when the live ones fill at most half,
   * else the room doubles.
   */
  private makeRoom(): void {
    const room = this.positions.length;
    if (this.size < room) return;
    this.relocate(this.size - this.head < room / 2 ? room : room * 2);
  }

  /** After a pass: a catch-up's room is given back once few events are left after the cursor. */
  private release(): void {
    const room = this.positions.length;
    const live = this.size - this.head;
    if (room > INITIAL_SLOTS && live * 8 < room) this.relocate(Math.max(INITIAL_SLOTS, room / 4));
    else if (live === 0) this.head = this.size = 0;
  }

  /** The live slots moved to the start of new columns of `room` slots. */
  private relocate(room: number): void {
    const { head, size } = this;
    const moved = (slot: number) => (slot === NONE ? NONE : slot - head);
    const positions = new BigInt64Array(room);
    positions.set(this.positions.subarray(head, size));
    const times = new Float64Array(room);
    times.set(this.times.subarray(head, size));
    const owners = new Int32Array(room);
    owners.set(this.owners.subarray(head, size));
    const nexts = new Int32Array(room);
    const prevs = new Int32Array(room);
    // Only queued slots are linked, and only to queued slots, all at or after the head.
    for (let slot = head; slot < size; slot++) {
      if (owners[slot - head] === NONE) continue;
      nexts[slot - head] = moved(this.nexts[slot]);
      prevs[slot - head] = moved(this.prevs[slot]);
    }
    this.positions = positions;
    this.times = times;
    this.owners = owners;
    this.nexts = nexts;
    this.prevs = prevs;
    this.head = 0;
    this.size = size - head;
    this.fronts = this.fronts.map(moved);
    this.backs = this.backs.map(moved);
  }
}
