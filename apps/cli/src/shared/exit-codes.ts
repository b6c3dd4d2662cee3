/**
 * What `rapport` exits with, for scripts. Documented in `rapport --help` and the README; never
 * renumber one, only add.
 */
export const EXIT = {
  ok: 0,
  /** Something failed (store unreachable, unexpected error); the message says what. */
  failure: 1,
  /** The command line was wrong: unknown command or option, bad value. */
  usage: 2,
  /** verify (or replay --dry-run) found the rebuilt view differs from the live one. */
  differences: 3,
  /** The work finished but some input was refused (import: rejected lines; dlq replay). */
  rejected: 4,
  /** The command needs views shared between processes (REDIS_URL), and the store is in memory. */
  needsSharedViews: 5,
  /** erase --verify: the customer is not (fully) erased; the problems are listed. */
  notErased: 6,
  /** Interrupted (Ctrl-C / SIGTERM); a replay resumes from its checkpoint when run again. */
  interrupted: 130,
} as const;

export const EXIT_CODES_HELP = `
Exit codes:
  0    ok
  1    failure (the message on stderr says why)
  2    usage error (unknown command or option, invalid value)
  3    verify / replay --dry-run: the rebuilt view differs from the live one
  4    finished, but some input was rejected (import, dlq replay)
  5    needs views shared between processes: set REDIS_URL (the embedded in-memory views
       live inside the platform process; use POST /v1/projections/:name/rebuild instead)
  6    erase --verify: the customer is not erased (the problems are listed)
  130  interrupted; run the same replay again to resume from its checkpoint`;

/** A failure that chooses its exit code. */
export class CliExit extends Error {
  readonly code = 'CLI_EXIT';
  constructor(
    readonly exitCode: number,
    message: string,
  ) {
    super(message);
    this.name = 'CliExit';
  }
}
