/**
 * A decision the domain refuses. The code is stable and machine-readable; the edge maps it
 * to HTTP problem details or dead-letter headers. Domain errors are never retryable: the
 * same command against the same state always fails the same way.
 */
export abstract class DomainError extends Error {
  abstract readonly code: string;
  readonly retryable = false;

  constructor(
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}
