import { Command } from '@nestjs/cqrs';

export interface MergeProfilesResult {
  /** Undo it with this id (one id for the whole request, however many profiles). */
  readonly mergeId: string;
  /** The profile the group's views answer under. */
  readonly survivor: string;
  /** Every profile of the group, in id order. */
  readonly members: readonly string[];
  /** Position of the last merge event: wait for it (X-Min-Position) to read the merged view. */
  readonly position: bigint;
}

/** Merge two or more profiles by hand (admin): recorded as ProfilesMerged, rule `manual`. */
export class MergeProfilesCommand extends Command<MergeProfilesResult> {
  constructor(
    readonly profiles: readonly string[],
    /** Who asked: the calling API key's id. */
    readonly by: string,
    readonly reason: string,
    /** When the request was made (wall clock of the edge: a person's act, not event time). */
    readonly at: string,
  ) {
    super();
  }
}
