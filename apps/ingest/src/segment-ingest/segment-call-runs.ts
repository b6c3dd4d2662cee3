import type { SegmentDecodeResult } from '@rapport/contract';
import type { IncomingTouchpoint } from '@rapport/domain';
import type { IdentifyCall } from '@rapport/identity';

/** Consecutive decoded calls of one kind, with their indexes in the request. */
export type SegmentCallRun =
  | {
      readonly kind: 'touchpoint';
      readonly indexes: number[];
      readonly items: IncomingTouchpoint[];
    }
  | { readonly kind: 'identify'; readonly indexes: number[]; readonly items: IdentifyCall[] };

/**
 * The decoded calls of a request as consecutive runs of one kind (the invalid ones left out),
 * so each run is recorded in one command and the runs in the order the tracker sent them.
 */
export function runsOfKind(decoded: readonly SegmentDecodeResult[]): SegmentCallRun[] {
  const runs: SegmentCallRun[] = [];
  decoded.forEach((call, index) => {
    if (!call.ok) return;
    const last = runs[runs.length - 1];
    if (call.identify) {
      if (last?.kind === 'identify') {
        last.indexes.push(index);
        last.items.push(call.identify);
      } else runs.push({ kind: 'identify', indexes: [index], items: [call.identify] });
    } else if (last?.kind === 'touchpoint') {
      last.indexes.push(index);
      last.items.push(call.touchpoint);
    } else runs.push({ kind: 'touchpoint', indexes: [index], items: [call.touchpoint] });
  });
  return runs;
}
