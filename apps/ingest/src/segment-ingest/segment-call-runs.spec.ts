import type { SegmentDecodeResult } from '@rapport/contract';
import type { IncomingTouchpoint } from '@rapport/domain';
import type { IdentifyCall } from '@rapport/identity';
import { runsOfKind } from './segment-call-runs';

const touchpoint = (id: string): SegmentDecodeResult => ({
  ok: true,
  touchpoint: { touchpointId: id } as IncomingTouchpoint,
});
const identify = (id: string): SegmentDecodeResult => ({
  ok: true,
  identify: { messageId: id } as IdentifyCall,
});
const invalid: SegmentDecodeResult = { ok: false, code: 'SEGMENT_CALL_INVALID', problems: [] };

describe('runs of Segment calls of one kind', () => {
  it('keeps the order sent, leaving the invalid calls out', () => {
    const runs = runsOfKind([
      touchpoint('p1'),
      identify('i1'),
      identify('i2'),
      invalid,
      touchpoint('t1'),
      invalid,
      touchpoint('t2'),
      identify('i3'),
    ]);
    expect(runs.map((run) => [run.kind, run.indexes])).toEqual([
      ['touchpoint', [0]],
      ['identify', [1, 2]],
      ['touchpoint', [4, 6]],
      ['identify', [7]],
    ]);
    expect(runs[2].items).toEqual([{ touchpointId: 't1' }, { touchpointId: 't2' }]);
  });

  it('has no run when every call is invalid', () => {
    expect(runsOfKind([invalid, invalid])).toEqual([]);
  });
});
