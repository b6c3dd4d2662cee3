// The fault suite (npm run test:faults): crashes, outages, bad input, load and injection.
// Kept apart from `npm test` because it kills processes and holds load for a minute.
const base = require('./jest.config.js');

const common = base.projects[0];

/** @type {import('jest').Config} */
module.exports = {
  globalSetup: '<rootDir>/test/faults/support/faults.global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  // One file at a time: a crash scenario's timing and the load figures must not share the CPU.
  maxWorkers: 1,
  testTimeout: base.testTimeout,
  projects: [
    {
      ...common,
      displayName: 'faults',
      testMatch: ['<rootDir>/test/faults/**/*.fault-spec.ts'],
    },
  ],
};
