/** Past this many streams the remembered revisions are dropped and looked up again. */
const MAX_STREAMS = 1_000_000;

/**
 * The last revision of the streams this connection wrote or looked up, so that an append need
 * not ask SQLite once per stream. It holds only while no other connection writes: SQLite's
 * data_version, read inside the write transaction (which holds the write lock), says whether
 * one has committed since, and then everything is forgotten. What a transaction writes counts
 * only once it commits.
 */
export class SqliteStreamRevisions {
  private readonly committed = new Map<number, number>();
  private readonly pending = new Map<number, number>();
  /** Inside a savepoint: each stream's pending revision before it, to go back to. */
  private beforeSavepoint: Map<number, number | undefined> | undefined;
  private dataVersion: number | undefined;

  constructor(private readonly readDataVersion: () => number) {}

  /** First thing inside a write transaction. */
  begin(): void {
    this.pending.clear();
    const version = this.readDataVersion();
    if (version !== this.dataVersion || this.committed.size > MAX_STREAMS) this.committed.clear();
    this.dataVersion = version;
  }

  get(streamId: number): number | undefined {
    return this.pending.get(streamId) ?? this.committed.get(streamId);
  }

  /** A revision read from the committed data inside the write transaction. */
  found(streamId: number, revision: number): void {
    this.committed.set(streamId, revision);
  }

  written(streamId: number, revision: number): void {
    if (this.beforeSavepoint && !this.beforeSavepoint.has(streamId))
      this.beforeSavepoint.set(streamId, this.pending.get(streamId));
    this.pending.set(streamId, revision);
  }

  savepoint(): void {
    this.beforeSavepoint = new Map();
  }

  released(): void {
    this.beforeSavepoint = undefined;
  }

  rolledBackToSavepoint(): void {
    for (const [streamId, revision] of this.beforeSavepoint ?? []) {
      if (revision === undefined) this.pending.delete(streamId);
      else this.pending.set(streamId, revision);
    }
    this.beforeSavepoint = undefined;
  }

  committedNow(): void {
    for (const [streamId, revision] of this.pending) this.committed.set(streamId, revision);
    this.pending.clear();
  }

  rolledBack(): void {
    this.pending.clear();
    this.beforeSavepoint = undefined;
  }
}
