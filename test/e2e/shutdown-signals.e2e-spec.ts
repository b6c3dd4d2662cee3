import { SHUTDOWN_SIGNALS } from '@rapport/config';
import { startPlatform } from '@rapport/test-support';

/**
 * A running service is sent signals by more than its supervisor: SIGUSR2 and friends ask Node
 * tools for heap snapshots and profiles. Only the shutdown signals may stop the platform.
 */
describe('shutdown signals', () => {
  const DIAGNOSTIC_SIGNALS = ['SIGUSR2', 'SIGQUIT', 'SIGTRAP', 'SIGABRT'] as const;
  const listeners = (signals: readonly string[]) =>
    signals.map((signal) => process.listenerCount(signal));

  it('stops on SIGTERM, SIGINT and SIGHUP only, and lets go of them when closed', async () => {
    const shutdownBefore = listeners(SHUTDOWN_SIGNALS);
    const diagnosticBefore = listeners(DIAGNOSTIC_SIGNALS);
    const platform = await startPlatform();
    try {
      expect(listeners(SHUTDOWN_SIGNALS)).toEqual(shutdownBefore.map((n) => n + 1));
      expect(listeners(DIAGNOSTIC_SIGNALS)).toEqual(diagnosticBefore);
    } finally {
      await platform.destroy();
    }
    expect(listeners(SHUTDOWN_SIGNALS)).toEqual(shutdownBefore);
  });
});
