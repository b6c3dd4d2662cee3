// @ts-check
import eslint from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

/**
 * Pure libraries (domain, projections, analytics) decide and compute; they never do I/O,
 * never read a clock and never draw random numbers. Time arrives as `occurredAt` or `asOf`.
 */
const PURE_LIBS = [
  'libs/domain/src/**/*.ts',
  'libs/projections/src/**/*.ts',
  'libs/analytics/src/**/*.ts',
  'libs/demo-data/src/**/*.ts',
  'libs/signals/src/**/*.ts',
  'libs/identity/src/**/*.ts',
];
const IMPURE_MODULES = [
  'fs',
  'node:fs',
  'fs/promises',
  'node:fs/promises',
  'net',
  'node:net',
  'http',
  'node:http',
  'https',
  'node:https',
  'child_process',
  'node:child_process',
  'crypto',
  'node:crypto',
  'dgram',
  'node:dgram',
  'os',
  'node:os',
  'timers',
  'node:timers',
  'worker_threads',
  'node:worker_threads',
  'better-sqlite3',
  'ioredis',
  'kafkajs',
  '@eventstore/db-client',
  'express',
];

/**
 * Pure libs hold no mutable module-level state (memos, caches, scratch buffers): a function's
 * answer depends on its arguments only. Constant lookup tables (a Set built from a list) are
 * fine; caching and buffers belong to the write path or the adapters.
 */
const MODULE_STATE = [
  ...['Program > VariableDeclaration', 'Program > ExportNamedDeclaration > VariableDeclaration']
    .flatMap((declaration) => [
      {
        selector: `${declaration}[kind=/^(let|var)$/]`,
        message: 'no mutable module-level state in a pure lib: keep it in a function or the caller',
      },
      {
        selector: `${declaration} > VariableDeclarator > NewExpression[callee.name=/^(Map|Set|WeakMap|WeakSet)$/][arguments.length=0]`,
        message: 'no module-level cache in a pure lib: the write path or an adapter keeps caches',
      },
      {
        selector: `${declaration} > VariableDeclarator > CallExpression[callee.object.name='Buffer'][callee.property.name=/^alloc/]`,
        message: 'no module-level scratch buffer in a pure lib',
      },
      {
        selector: `${declaration} > VariableDeclarator > ArrayExpression[elements.length=0]`,
        message: 'no module-level array to fill in a pure lib',
      },
    ]),
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'data/**', '**/*.js', '**/*.mjs'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'no-console': 'error',
    },
  },
  {
    files: [
      'test/**/*.ts',
      'bench/**/*.ts',
      '**/*.spec.ts',
      '**/*.int-spec.ts',
      '**/*.e2e-spec.ts',
    ],
    rules: { 'no-console': 'off', '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  {
    files: PURE_LIBS,
    ignores: ['**/*.spec.ts', '**/testing/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: IMPURE_MODULES.map((name) =>
            name.endsWith('crypto')
              ? // Hashing is deterministic computation (event ids); randomness is not allowed.
                { name, allowImportNames: ['hash'], message: 'pure libs do no I/O or randomness' }
              : { name, message: 'pure libs do no I/O' },
          ),
          patterns: [
            { group: ['@nestjs/*', 'rxjs', 'rxjs/*'], message: 'pure libs know no framework' },
            {
              group: [
                '@rapport/event-store',
                '@rapport/read-store',
                '@rapport/messaging',
                '@rapport/config',
              ],
              message: 'pure libs depend on pure libs only',
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'fetch', message: 'pure libs do no I/O' },
        { name: 'process', message: 'pure libs read no environment' },
        { name: 'setTimeout', message: 'pure libs have no timers' },
        { name: 'setInterval', message: 'pure libs have no timers' },
        { name: 'performance', message: 'pure libs read no clock' },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'time arrives as occurredAt or asOf' },
        { object: 'Math', property: 'random', message: 'no randomness: pass a seeded generator' },
        { object: 'crypto', property: 'randomUUID', message: 'no randomness' },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'new Date() reads the clock: time arrives as occurredAt or asOf',
        },
        {
          selector: "CallExpression[callee.name='Date'][arguments.length=0]",
          message: 'Date() reads the clock',
        },
        ...MODULE_STATE,
      ],
    },
  },
  {
    // The contract decodes at the edge: pure too, though it knows class-validator.
    files: ['libs/contract/src/**/*.ts'],
    ignores: ['**/*.spec.ts', '**/testing/**'],
    rules: { 'no-restricted-syntax': ['error', ...MODULE_STATE] },
  },
);
