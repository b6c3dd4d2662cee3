import { decodeTouchpoint } from '@rapport/contract';
import { namesCustomer, type Touchpoint } from '@rapport/domain';
import { SqliteEventStore } from '@rapport/event-store';
import { CustomerStateCache } from '@rapport/recording';
import { TouchpointRecorder } from '@rapport/recording';
import type { TouchpointMessage } from './touchpoints';

/**
 * The write path (contract → decide → appendMany) from the test process into the platform's
 * SQLite file, the way another ingest instance or an import would write beside it.
 */
export class DirectWriter {
  private readonly store: SqliteEventStore;
  private readonly recorder: TouchpointRecorder;

  constructor(dbPath: string) {
    this.store = new SqliteEventStore({ path: dbPath, busyTimeoutMs: 10_000 });
    this.recorder = new TouchpointRecorder(this.store, new CustomerStateCache());
  }

  async record(messages: readonly TouchpointMessage[]): Promise<void> {
    const now = new Date();
    const byCustomer = new Map<string, Touchpoint[]>();
    for (const message of messages) {
      const decoded = decodeTouchpoint(message, { now });
      if (!decoded.ok) throw new Error(`invalid fixture: ${JSON.stringify(decoded.problems)}`);
      if (!namesCustomer(decoded.touchpoint)) throw new Error('fixtures name their customerId');
      const list = byCustomer.get(decoded.touchpoint.customerId) ?? [];
      list.push(decoded.touchpoint);
      byCustomer.set(decoded.touchpoint.customerId, list);
    }
    await this.recorder.record(
      [...byCustomer].map(([customerId, touchpoints]) => ({ customerId, touchpoints })),
      { ingestedAt: now.toISOString(), correlationId: 'fault-test' },
    );
  }

  close(): Promise<void> {
    return this.store.close();
  }
}
