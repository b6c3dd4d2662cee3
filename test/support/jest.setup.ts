import 'reflect-metadata';

// Nest's logger prints to stdout in every test otherwise; RAPPORT_TEST_LOGS=1 shows it. It is
// silenced when a test file first loads @nestjs/common, not here: loading Nest for every file
// (most unit specs never reach it) was the largest part of each file's start-up.
if (!process.env.RAPPORT_TEST_LOGS)
  jest.mock('@nestjs/common', () => {
    const nest = jest.requireActual<typeof import('@nestjs/common')>('@nestjs/common');
    // Nest's own files require its index while it loads; the Logger is there on the outer call.
    (nest.Logger as typeof nest.Logger | undefined)?.overrideLogger(false);
    return nest;
  });
