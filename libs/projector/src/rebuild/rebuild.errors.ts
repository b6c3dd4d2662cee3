/** No projection goes by this name. */
export class UnknownProjectionError extends Error {
  readonly code = 'UNKNOWN_PROJECTION';
  readonly retryable = false;
  constructor(name: string, known: readonly string[]) {
    super(`no projection is called ${JSON.stringify(name)} (known: ${known.join(', ')})`);
    this.name = 'UnknownProjectionError';
  }
}

/** One rebuild per projection at a time in a process: two would race for the same generation. */
export class RebuildInProgressError extends Error {
  readonly code = 'REBUILD_IN_PROGRESS';
  readonly retryable = true;
  constructor(
    projection: string,
    readonly rebuildId: string,
  ) {
    super(`a rebuild of ${projection} is already running (${rebuildId})`);
    this.name = 'RebuildInProgressError';
  }
}

/** Stopped on request (a signal): the build checkpoint stays, the next run resumes there. */
export class RebuildInterruptedError extends Error {
  readonly code = 'REBUILD_INTERRUPTED';
  readonly retryable = true;
  constructor(projection: string, position: bigint) {
    super(`rebuild of ${projection} interrupted at position ${position}; run it again to resume`);
    this.name = 'RebuildInterruptedError';
  }
}
