import { MAX_JSON_NESTING, tooDeepAt } from './json-nesting';

const bytes = (text: string) => Buffer.from(text, 'utf8');

describe('JSON nesting before parsing', () => {
  it('accepts nesting up to the limit and points at the first bracket past it', () => {
    expect(tooDeepAt(bytes('[[{"a":[1]}]]'), 4)).toBe(-1);
    expect(tooDeepAt(bytes('[[{"a":[[1]]}]]'), 4)).toBe(8);
    expect(tooDeepAt(bytes(`${'['.repeat(MAX_JSON_NESTING)}${']'.repeat(MAX_JSON_NESTING)}`))).toBe(
      -1,
    );
    expect(tooDeepAt(bytes('['.repeat(5_000_000)))).toBe(MAX_JSON_NESTING);
  });

  it('counts depth, not brackets: siblings at one level stay at that level', () => {
    const wide = `[${Array.from({ length: 1_000 }, () => '{"a":[1,{"b":2}]}').join(',')}]`;
    expect(tooDeepAt(bytes(wide), 4)).toBe(-1);
  });

  it('ignores brackets inside strings, escaped quotes included', () => {
    expect(tooDeepAt(bytes(`{"a":"${'['.repeat(100)}"}`), 2)).toBe(-1);
    expect(tooDeepAt(bytes(`{"a":"\\"${'{'.repeat(100)}\\\\"}`), 2)).toBe(-1);
    expect(tooDeepAt(bytes(`{"a":"\\\\",${'['.repeat(3)}`), 2)).toBe(11);
  });

  it('is not fooled by multi-byte characters', () => {
    expect(tooDeepAt(bytes(`{"é€😀":["${'{'.repeat(10)}"]}`), 2)).toBe(-1);
  });
});
