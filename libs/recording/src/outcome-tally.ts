import type { RecordedItem } from './record-touchpoints.command';

export interface RejectedItem {
  /** Index of the touchpoint in the command. */
  readonly index: number;
  readonly code: string;
  readonly reason: string;
}

export interface OutcomeTally {
  readonly recorded: number;
  readonly duplicates: number;
  readonly rejected: RejectedItem[];
}

/** Counts what a RecordTouchpointsCommand recorded, and lists what it refused and why. */
export function tallyOutcomes(items: readonly RecordedItem[]): OutcomeTally {
  let recorded = 0;
  let duplicates = 0;
  const rejected: RejectedItem[] = [];
  items.forEach((item, index) => {
    if (item.status === 'recorded') recorded++;
    else if (item.status === 'duplicate') duplicates++;
    else rejected.push({ index, code: item.code, reason: item.reason });
  });
  return { recorded, duplicates, rejected };
}
