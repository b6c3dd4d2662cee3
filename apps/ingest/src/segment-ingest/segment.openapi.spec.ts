import { decodeSegmentCall, SEGMENT_CALL_TYPES } from '@rapport/contract';
import { SEGMENT_BATCH_BODY, SEGMENT_EXAMPLES } from './segment.openapi';

describe('the documented Segment calls', () => {
  const options = { source: 'segment', receivedAt: new Date('2027-01-01T00:00:00Z') };

  it.each(SEGMENT_CALL_TYPES)(
    'has a %s example the mapping and the contract take',
    (type) => {
      expect(decodeSegmentCall(type, SEGMENT_EXAMPLES[type], options)).toMatchObject({ ok: true });
    },
  );

  it('documents a batch whose calls each name their type', () => {
    const { batch } = SEGMENT_BATCH_BODY.examples.visit_login_order.value;
    expect(batch.map((call) => call.type)).toEqual(['page', 'identify', 'track']);
  });
});
