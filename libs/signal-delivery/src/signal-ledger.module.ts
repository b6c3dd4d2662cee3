import { join } from 'node:path';
import { Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { RAPPORT_CONFIG, type RapportConfig } from '@rapport/config';
import { ownerOnlyDirectory } from '@rapport/event-store';
import { SqliteSignalLedger } from './ledger/sqlite.signal-ledger';

export const SIGNAL_LEDGER = Symbol('SIGNAL_LEDGER');

export function signalLedgerPath(dataDir: string): string {
  return join(dataDir, 'signals.db');
}

@Injectable()
class SignalLedgerCloser implements OnApplicationShutdown {
  constructor(@Inject(SIGNAL_LEDGER) private readonly ledger: SqliteSignalLedger) {}
  onApplicationShutdown(): void {
    this.ledger.close();
  }
}

/** The signal ledger of this DATA_DIR: one connection per process, shared by its users. */
@Global()
@Module({
  providers: [
    {
      provide: SIGNAL_LEDGER,
      inject: [RAPPORT_CONFIG],
      useFactory: (config: RapportConfig) => {
        ownerOnlyDirectory(config.dataDir);
        return new SqliteSignalLedger(signalLedgerPath(config.dataDir));
      },
    },
    SignalLedgerCloser,
  ],
  exports: [SIGNAL_LEDGER],
})
export class SignalLedgerModule {}
