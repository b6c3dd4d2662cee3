// Aliases mirror tsconfig.json "paths": @rapport/<lib> -> libs/<lib>/src.
const aliases = {
  '^@rapport/test-support$': '<rootDir>/test/support',
  '^@rapport/([a-z-]+)$': '<rootDir>/libs/$1/src',
  '^@rapport/([a-z-]+)/(.*)$': '<rootDir>/libs/$1/src/$2',
};

// Type checking runs once in `npm run typecheck`; Jest only transpiles.
const transform = {
  '^.+\\.ts$': ['ts-jest', { diagnostics: false }],
};

// The unit tier transpiles with swc: several times faster than ts-jest, and it keeps what Nest DI
// and class-validator need (legacy decorators with their design:type metadata). Its wrapper binds
// the plain built-ins (Math, JSON, Map…) in each module: under Jest's vm context every global
// lookup is slow, and the numeric specs spent most of their time on it (see the wrapper).
const swcTransform = {
  '^.+\\.ts$': [
    '<rootDir>/test/support/swc-local-builtins.js',
    {
      jsc: {
        parser: { syntax: 'typescript', decorators: true },
        transform: {
          legacyDecorator: true,
          decoratorMetadata: true,
          useDefineForClassFields: true,
        },
        target: 'es2022',
        keepClassNames: true,
      },
      module: { type: 'commonjs' },
      sourceMaps: 'inline',
    },
  ],
};

const common = {
  rootDir: __dirname,
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: aliases,
  transform,
  testEnvironment: 'node',
  setupFiles: ['<rootDir>/test/support/jest.setup.ts'],
};

// Redis, the Kafka mock and the EventStoreDB stand-in, resolved once for the tiers that use them.
// Set per project, so a run of unit specs alone starts none of them (Jest runs a project's global
// setup only when one of its tests is selected, and the same file once for all projects).
const services = {
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
};

/** @type {import('jest').Config} */
module.exports = {
  // The machine is shared and noisy: a suite that starts a platform or a worker thread can take
  // seconds before its first test. Generous by default; a hang still fails.
  testTimeout: 30_000,
  projects: [
    {
      ...common,
      displayName: 'unit',
      transform: swcTransform,
      testMatch: [
        '<rootDir>/{apps,libs}/**/*.spec.ts',
        '<rootDir>/test/{conventions,support}/*.spec.ts',
      ],
    },
    {
      ...common,
      ...services,
      displayName: 'integration',
      testMatch: ['<rootDir>/{apps,libs,test}/**/*.int-spec.ts'],
    },
    { ...common, ...services, displayName: 'e2e', testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'] },
    {
      ...common,
      ...services,
      displayName: 'config',
      testMatch: ['<rootDir>/test/**/*.config-spec.ts'],
    },
    // A real headless Chromium against the platform; skipped (with the reason) without one.
    {
      ...common,
      ...services,
      displayName: 'browser',
      testMatch: ['<rootDir>/test/**/*.browser-spec.ts'],
    },
  ],
};
