import type { BrokenLimit } from '@rapport/identity';

/** A profile named in a merge that no touchpoint landed on and no identifier names. */
export class ProfileNotFoundError extends Error {
  readonly code = 'PROFILE_NOT_FOUND';
  readonly retryable = false;
  constructor(readonly profileIds: readonly string[]) {
    super(
      `no profile ${profileIds.join(', ')}: no touchpoint landed on it and no identifier names it`,
    );
    this.name = 'ProfileNotFoundError';
  }
}

export class ProfilesAlreadyMergedError extends Error {
  readonly code = 'PROFILES_ALREADY_MERGED';
  readonly retryable = false;
  constructor(readonly survivor: string) {
    super(`the profiles are already one profile (${survivor})`);
    this.name = 'ProfilesAlreadyMergedError';
  }
}

/** Refused, and the refusal recorded (MergeRefused) at `position`. */
export class MergeWouldBreakLimitError extends Error {
  readonly code = 'MERGE_WOULD_BREAK_LIMIT';
  readonly retryable = false;
  constructor(
    readonly limit: BrokenLimit,
    readonly refusalId: string,
    readonly position: bigint,
  ) {
    super(
      `the merged profile would hold ${limit.would} identifiers of type ${limit.identifierType}; the limit is ${limit.max}`,
    );
    this.name = 'MergeWouldBreakLimitError';
  }
}

export class MergeNotFoundError extends Error {
  readonly code = 'MERGE_NOT_FOUND';
  readonly retryable = false;
  constructor(readonly mergeId: string) {
    super(`no merge ${mergeId} in the identity graph`);
    this.name = 'MergeNotFoundError';
  }
}

export class MergeAlreadyUndoneError extends Error {
  readonly code = 'MERGE_ALREADY_UNDONE';
  readonly retryable = false;
  constructor(readonly mergeId: string) {
    super(`merge ${mergeId} is already undone`);
    this.name = 'MergeAlreadyUndoneError';
  }
}

/** The graph stream kept moving under the command (other writers deciding at the same time). */
export class GraphRetriesExhaustedError extends Error {
  readonly code = 'IDENTITY_RETRIES_EXHAUSTED';
  readonly retryable = true;
  constructor(attempts: number) {
    super(`the identity graph kept changing during ${attempts} attempts`);
    this.name = 'GraphRetriesExhaustedError';
  }
}
