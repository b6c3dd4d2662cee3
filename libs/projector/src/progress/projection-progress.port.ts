/**
 * How far the projector has come, for read-your-writes and readiness. One adapter asks a
 * projector in this process; the other polls the checkpoint the projector writes to the read
 * store, for a query API running apart from it.
 */
export const PROJECTION_PROGRESS = Symbol('PROJECTION_PROGRESS');

export interface ProjectionProgress {
  /** Resolves true once the views include `position`, false after `timeoutMs`. */
  waitFor(position: bigint, timeoutMs: number): Promise<boolean>;
  /** The last position the views include (-1n before the first event). */
  position(): Promise<bigint>;
  /**
   * For a projector in this process, whether it has caught up with the store since it
   * started; undefined when the projector runs elsewhere.
   */
  caughtUpOnce(): boolean | undefined;
  /**
   * For a projector in this process, the customers it parked (an event it could not apply):
   * their views are stale, every other one is current. Undefined when it runs elsewhere.
   */
  parkedCustomers(): number | undefined;
}
