import type { MessagePublisher, OutboundMessage } from '@rapport/messaging';
import { signalContent } from '@rapport/signals';
import type { LedgerEntry, SqliteSignalLedger } from '../ledger/sqlite.signal-ledger';

/** Headers every signal message carries: consumers de-duplicate on `signal-id`. */
export const SIGNAL_HEADERS = {
  id: 'signal-id',
  rule: 'signal-rule',
  ruleVersion: 'signal-rule-version',
  derivedAtPosition: 'signal-derived-at-position',
  contentType: 'content-type',
} as const;

/**
 * Sends the ledger's pending signals to the topic, keyed by customer (so one customer's signals
 * stay in order on one partition), and marks them published only after the broker acknowledged
 * them: a crash in between sends the same ids with the same content again, never other ones.
 */
export class SignalOutboxPublisher {
  constructor(
    private readonly ledger: SqliteSignalLedger,
    private readonly publisher: MessagePublisher,
    private readonly topic: string,
    private readonly batchSize = 500,
  ) {}

  /** One batch; returns how many were published (0: nothing pending). */
  async step(): Promise<number> {
    const pending = this.ledger.pending(this.batchSize);
    if (pending.length === 0) return 0;
    await this.publisher.publish(this.topic, pending.map(messageOf));
    this.ledger.markPublished(pending.map((entry) => entry.seq));
    return pending.length;
  }
}

export function messageOf(entry: LedgerEntry): OutboundMessage {
  const { signal } = entry;
  return {
    key: signal.subject.id,
    value: signalContent(signal),
    headers: {
      [SIGNAL_HEADERS.id]: signal.id,
      [SIGNAL_HEADERS.rule]: signal.rule,
      [SIGNAL_HEADERS.ruleVersion]: String(signal.ruleVersion),
      [SIGNAL_HEADERS.derivedAtPosition]: entry.derivedAtPosition.toString(),
      [SIGNAL_HEADERS.contentType]: 'application/json',
    },
  };
}
