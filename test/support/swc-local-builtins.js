// The unit tier's transform: @swc/jest, then each module's code runs inside a block that binds
// the plain ECMAScript built-ins it names to constants of that block.
//
// Why: Jest runs every test file in a vm context, whose global object answers each lookup through
// an interceptor that V8 cannot inline. A loop calling Math.imul, Math.log or Number.isFinite pays
// that on every call: measured here, a seeded generator ran about fifteen times slower under Jest
// than under plain Node (the statistics and the property specs spend most of their time so). A
// name bound in the module's own scope is an ordinary variable read.
//
// What it keeps: the same objects (identity, `instanceof`, spies on their methods all unchanged);
// the "use strict" directive first; every line where it was (the bindings go on the directive's
// line, the block closes on a line of its own after the code), so stack traces and source maps
// still point right. Only built-ins that Jest and the specs never replace are bound: not Date, timers,
// performance or process, which fake timers and specs swap while modules hold them. A module that
// declares one of these names itself shadows the binding in its inner block, as it would the
// global.
const { createHash } = require('node:crypto');
const { readFileSync } = require('node:fs');
const { createTransformer: createSwcTransformer } = require('@swc/jest');

const BUILTINS = [
  'Math',
  'JSON',
  'Number',
  'Object',
  'Array',
  'String',
  'Boolean',
  'BigInt',
  'Symbol',
  'Reflect',
  'Map',
  'Set',
  'WeakMap',
  'WeakSet',
  'ArrayBuffer',
  'Float64Array',
  'Float32Array',
  'Int32Array',
  'Uint32Array',
  'Int16Array',
  'Uint16Array',
  'Int8Array',
  'Uint8Array',
  'BigInt64Array',
  'BigUint64Array',
  'isFinite',
  'isNaN',
  'parseInt',
  'parseFloat',
];
/** This file's own hash: a change to the wrapping is never served from Jest's cache. */
const VERSION = createHash('sha1').update(readFileSync(__filename)).digest('hex');
const DIRECTIVE = '"use strict";';
const SOURCE_MAP = /\n\/\/# sourceMappingURL=[^\n]*\s*$/;

function withLocalBuiltins(code) {
  // A `var` of the same name would be hoisted through the block onto the constant: a syntax
  // error. Any `var` statement that may declare the name keeps it global.
  const used = BUILTINS.filter(
    (name) =>
      new RegExp(`\\b${name}\\b`).test(code) &&
      !new RegExp(`\\bvar\\s[^;]*\\b${name}\\b`).test(code),
  );
  if (used.length === 0) return code;
  const bindings = `{const ${used.map((name) => `${name}=globalThis.${name}`).join(',')};{`;
  const strict = code.startsWith(DIRECTIVE);
  const body = strict ? code.slice(DIRECTIVE.length) : code;
  const map = SOURCE_MAP.exec(body);
  const end = map ? map.index : body.length;
  // A trailing line comment would swallow the closing braces: they go on a line of their own.
  return `${strict ? DIRECTIVE : ''}${bindings}${body.slice(0, end)}\n}}${body.slice(end)}`;
}

function createTransformer(options) {
  const swc = createSwcTransformer(options);
  return {
    ...swc,
    process(source, filename, jestOptions) {
      const out = swc.process(source, filename, jestOptions);
      return { ...out, code: withLocalBuiltins(out.code) };
    },
    async processAsync(source, filename, jestOptions) {
      const out = await swc.processAsync(source, filename, jestOptions);
      return { ...out, code: withLocalBuiltins(out.code) };
    },
    getCacheKey(...args) {
      return `${swc.getCacheKey(...args)}-${VERSION}`;
    },
  };
}

module.exports = { createTransformer, withLocalBuiltins };
