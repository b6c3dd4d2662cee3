import { decodeTouchpoint } from '@rapport/contract';
import { TOUCHPOINT_TYPES } from '@rapport/domain';
import { TOUCHPOINT_EXAMPLES, TOUCHPOINT_SCHEMA } from './touchpoint.openapi';

describe('the documented touchpoint message', () => {
  const now = new Date('2027-01-01T00:00:00Z');

  it.each(TOUCHPOINT_TYPES)('has a %s example the contract accepts', (type) => {
    const decoded = decodeTouchpoint(TOUCHPOINT_EXAMPLES[type], { now });
    expect(decoded).toMatchObject({ ok: true });
  });

  it('documents one data shape per touchpoint type, each refusing unknown fields', () => {
    const data = TOUCHPOINT_SCHEMA.properties!.data as { oneOf: Array<Record<string, unknown>> };
    expect(data.oneOf.map((s) => s.title)).toEqual([...TOUCHPOINT_TYPES]);
    expect(data.oneOf.every((s) => s.additionalProperties === false)).toBe(true);
  });
});
