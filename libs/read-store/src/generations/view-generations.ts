import type { ReadStore } from '../read-store.port';

export const VIEW_GENERATIONS = Symbol('VIEW_GENERATIONS');

/** "No generation": a checkpoint value the port can store where it has no delete. */
const NONE = -1n;

/**
 * Blue/green generations of a projection's view, kept in the read store itself so that every
 * process sees the same answer. Generation 0 is the collection named after the projection (what
 * a store written before blue/green holds); generation N > 0 lives in `<projection>@g<N>`.
 *
 * The active generation is one checkpoint (`projection-pointer:<name>`): switching it is one
 * write, atomic on both adapters, so a reader sees the old view or the new one, never a mix.
 * Readers ask `activeCollection` and never name a collection themselves; the pointer is cached
 * for `cacheMs`, which bounds how long another process keeps reading the old generation after
 * a switch (the old one is dropped only after a grace period longer than that).
 */
export class ViewGenerations {
  private readonly cache = new Map<string, { generation: number; readAt: number }>();

  constructor(
    private readonly readStore: Pick<ReadStore, 'getCheckpoint' | 'putCheckpoint'>,
    private readonly options: { readonly cacheMs: number } = { cacheMs: 500 },
  ) {}

  static collection(projection: string, generation: number): string {
    return generation === 0 ? projection : `${projection}@g${generation}`;
  }

  /** The checkpoint that holds the active generation (bound like every checkpoint). */
  static pointerCheckpoint(projection: string): string {
    return pointerName(projection);
  }

  /** Where a rebuild into `generation` resumes from (its own checkpoint). */
  static buildCheckpoint(projection: string, generation: number): string {
    return `projection-build:${projection}@g${generation}`;
  }

  async active(projection: string): Promise<number> {
    const cached = this.cache.get(projection);
    if (cached && Date.now() - cached.readAt < this.options.cacheMs) return cached.generation;
    const stored = await this.readStore.getCheckpoint(pointerName(projection));
    const generation = stored === undefined || stored < 0n ? 0 : Number(stored);
    this.cache.set(projection, { generation, readAt: Date.now() });
    return generation;
  }

  async activeCollection(projection: string): Promise<string> {
    return ViewGenerations.collection(projection, await this.active(projection));
  }

  /** The one write that makes `generation` what every reader sees. */
  async switchTo(projection: string, generation: number): Promise<void> {
    await this.readStore.putCheckpoint(pointerName(projection), BigInt(generation));
    this.cache.set(projection, { generation, readAt: Date.now() });
  }

  /** The generation a rebuild is writing (resumed after an interruption), if any. */
  async building(projection: string): Promise<number | undefined> {
    const stored = await this.readStore.getCheckpoint(buildingName(projection));
    return stored === undefined || stored === NONE ? undefined : Number(stored);
  }

  async markBuilding(projection: string, generation: number | undefined): Promise<void> {
    await this.readStore.putCheckpoint(
      buildingName(projection),
      generation === undefined ? NONE : BigInt(generation),
    );
  }

  /** Forgets the cached pointer (tests, and a process told of a switch another way). */
  invalidate(projection?: string): void {
    if (projection === undefined) this.cache.clear();
    else this.cache.delete(projection);
  }
}

function pointerName(projection: string): string {
  return `projection-pointer:${projection}`;
}

function buildingName(projection: string): string {
  return `projection-building:${projection}`;
}
