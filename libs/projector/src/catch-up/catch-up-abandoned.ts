/**
 * Thrown inside the projector when it is stopped in the middle of a catch-up batch: the batch
 * is left where it is. Each record already written carries the position of its last event and
 * the checkpoint has not moved, so a restart applies the rest of the batch and skips what was
 * written (see Projector).
 */
export class CatchUpAbandoned extends Error {
  readonly code = 'CATCH_UP_ABANDONED';

  constructor() {
    super('stopped during a catch-up batch; the batch is redone from the checkpoint at restart');
  }
}
