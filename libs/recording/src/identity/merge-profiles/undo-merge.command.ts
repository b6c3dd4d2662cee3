import { Command } from '@nestjs/cqrs';

export interface UndoMergeResult {
  readonly mergeId: string;
  /** The merges undone: the one asked, or every part of a manual merge of several profiles. */
  readonly undone: readonly string[];
  /** Each profile the undone merges joined, with the group it belongs to now. */
  readonly profiles: readonly { readonly profileId: string; readonly survivor: string }[];
  readonly position: bigint;
}

/** Undo a merge, manual or made by a rule (admin): recorded as MergeUndone. */
export class UndoMergeCommand extends Command<UndoMergeResult> {
  constructor(
    readonly mergeId: string,
    readonly by: string,
    readonly reason: string,
    readonly at: string,
  ) {
    super();
  }
}
