import type { AppendOutcome } from '@rapport/event-store';
import type { IdentityStep, MergeRefused } from '@rapport/identity';

/** What resolution recorded for one question (a touchpoint's or an identify call's). */
export interface LinkAnswer {
  /** The profile (customer stream) it names. */
  readonly profileId: string;
  /** Identifiers it linked and merges it made. */
  readonly linked: number;
  readonly merged: number;
  /** Links and merges the rules refused for it (each recorded once, as MergeRefused). */
  readonly refused: readonly MergeRefused['data'][];
}

export interface LinkResult {
  /** One per question, in the order asked. */
  readonly answers: readonly LinkAnswer[];
  /** Global position at or after everything recorded; -1 when nothing was. */
  readonly position: bigint;
}

/**
 * Tallies, per question, what the accepted appends of a resolution recorded: only steps whose
 * round was appended whole count, so a retried attempt never counts a refused append.
 */
export class Recorded {
  private readonly linked: number[];
  private readonly merged: number[];
  private readonly refused: MergeRefused['data'][][];
  position = -1n;

  constructor(questions: number) {
    this.linked = new Array<number>(questions).fill(0);
    this.merged = new Array<number>(questions).fill(0);
    this.refused = Array.from({ length: questions }, () => []);
  }

  add(steps: ReadonlyArray<IdentityStep | undefined>, outcomes: readonly AppendOutcome[]): void {
    steps.forEach((step, at) => {
      if (!step) return;
      this.linked[at] += step.links.length;
      for (const event of step.graphEvents)
        if (event.type === 'ProfilesMerged') this.merged[at]++;
        else this.refused[at].push(event.data);
    });
    for (const outcome of outcomes)
      if (outcome.ok && outcome.result.position > this.position)
        this.position = outcome.result.position;
  }

  answers(profiles: readonly string[]): LinkAnswer[] {
    return profiles.map((profileId, at) => ({
      profileId,
      linked: this.linked[at],
      merged: this.merged[at],
      refused: this.refused[at],
    }));
  }
}
