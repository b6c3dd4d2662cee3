import { runInNewContext } from 'node:vm';
import { withLocalBuiltins } from './swc-local-builtins';

const MAP_COMMENT = '//# sourceMappingURL=data:application/json;base64,e30=';
/** Reads the clock through this module's `Date`, bound (or not) when the module loaded. */
const clock = () => ({ now: Date.now(), made: new Date().getTime() });

describe('the unit tier binds plain built-ins in each module', () => {
  it('gives this module the global objects themselves', () => {
    expect(Math).toBe(globalThis.Math);
    expect(Map).toBe(globalThis.Map);
    expect(new Map()).toBeInstanceOf(globalThis.Map);
    expect(JSON.stringify({ a: [1] })).toBe('{"a":[1]}');
  });

  it('leaves Date to fake timers, in modules loaded before they were installed', () => {
    jest.useFakeTimers({ now: Date.UTC(2031, 1, 3) });
    try {
      expect(clock()).toEqual({ now: Date.UTC(2031, 1, 3), made: Date.UTC(2031, 1, 3) });
    } finally {
      jest.useRealTimers();
    }
  });

  it('keeps every line where it was, so stack traces point at the source', () => {
    const line = Number(/swc-local-builtins\.spec\.ts:(\d+):/.exec(new Error().stack!)![1]);
    expect(line).toBe(26);
  });

  describe('when wrapping compiled code', () => {
    const compiled = [
      '"use strict";',
      'Object.defineProperty(exports, "__esModule", { value: true });',
      'exports.spread = spread;',
      'function spread(values) {',
      '    return Math.max(...values) - Math.min(...values);',
      '}',
      MAP_COMMENT,
    ].join('\n');

    it('binds after the directive, on its line, and closes before the source map comment', () => {
      const lines = withLocalBuiltins(compiled).split('\n');
      expect(lines[0]).toBe('"use strict";{const Math=globalThis.Math,Object=globalThis.Object;{');
      expect(lines.slice(1, 6)).toEqual(compiled.split('\n').slice(1, 6));
      expect(lines.slice(6)).toEqual(['}}', MAP_COMMENT]);
    });

    it('runs as before, exports and hoisted functions included', () => {
      const exports: { spread?: (values: number[]) => number } = {};
      runInNewContext(withLocalBuiltins(compiled), { exports });
      expect(exports.spread!([3, 9, 4])).toBe(6);
    });

    it('lets a module declare a name of its own that a built-in has', () => {
      const own =
        '"use strict";\nclass Map { get size() { return -1; } }\nexports.size = new Map().size;';
      const exports: { size?: number } = {};
      runInNewContext(withLocalBuiltins(own), { exports });
      expect(exports.size).toBe(-1);
    });

    it('leaves global a name that a var may declare (hoisted onto the constant, it would not parse)', () => {
      const enumLike =
        '"use strict";\nvar Map;\n(function (Map) { Map.A = 7; })(Map || (Map = {}));\nexports.a = Math.abs(-Map.A);';
      const exports: { a?: number } = {};
      runInNewContext(withLocalBuiltins(enumLike), { exports });
      expect(exports.a).toBe(7);
      expect(withLocalBuiltins(enumLike).split('\n')[0]).toBe(
        '"use strict";{const Math=globalThis.Math;{',
      );
    });

    it('keeps strict mode: the directive stays first', () => {
      const sloppy = '"use strict";\nexports.thisOfCall = (function () { return this; })();';
      const exports: { thisOfCall?: unknown } = { thisOfCall: 'unset' };
      runInNewContext(withLocalBuiltins(sloppy + '\nMath.abs(1);'), { exports });
      expect(exports.thisOfCall).toBeUndefined();
    });

    it('leaves code that names no built-in as it is', () => {
      const plain = '"use strict";\nexports.one = 1;';
      expect(withLocalBuiltins(plain)).toBe(plain);
    });
  });
});
