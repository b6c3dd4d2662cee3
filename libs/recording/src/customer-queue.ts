/**
 * Runs work for a set of customers after every earlier work for any of them has settled, so
 * that this instance never decides a customer twice at once. Kafka partitions (or topics, or
 * HTTP beside Kafka) handled concurrently would otherwise decide on the same cached state and
 * all but one would lose at the expectedRevision check, reload the stream and decide again.
 * Work only ever waits for work queued before it, so waits cannot form a cycle.
 */
export class CustomerQueue {
  private readonly last = new Map<string, Promise<unknown>>();

  async run<T>(customerIds: readonly string[], work: () => Promise<T>): Promise<T> {
    const earlier = new Set<Promise<unknown>>();
    for (const id of customerIds) {
      const previous = this.last.get(id);
      if (previous) earlier.add(previous);
    }
    const turn = earlier.size ? Promise.allSettled(earlier).then(work) : work();
    for (const id of customerIds) this.last.set(id, turn);
    try {
      return await turn;
    } finally {
      for (const id of customerIds) if (this.last.get(id) === turn) this.last.delete(id);
    }
  }
}
