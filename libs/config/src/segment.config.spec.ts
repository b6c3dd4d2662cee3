import { parseSegmentConfig } from './segment.config';

describe('the Segment ingest configuration', () => {
  it('has no default currency unless one is configured', () => {
    const problems: string[] = [];
    expect(parseSegmentConfig({}, problems)).toEqual({});
    expect(parseSegmentConfig({ SEGMENT_DEFAULT_CURRENCY: ' USD ' }, problems)).toEqual({
      defaultCurrency: 'USD',
    });
    expect(problems).toEqual([]);
  });

  it('refuses a default currency that is no ISO 4217 code, naming the variable', () => {
    const problems: string[] = [];
    parseSegmentConfig({ SEGMENT_DEFAULT_CURRENCY: 'dollars' }, problems);
    expect(problems).toEqual([
      'SEGMENT_DEFAULT_CURRENCY must be an ISO 4217 code such as EUR (got "dollars")',
    ]);
  });
});
