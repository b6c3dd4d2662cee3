import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { counter, gaugeReadAtScrape } from '@rapport/metrics';
import type { Counter } from 'prom-client';
import type { SqliteWebhookLedger } from './sqlite.webhook-ledger';

/**
 * The webhook's entries by state (pending, delivered, dead, expired), read from the ledger at
 * scrape time so the dead letters of earlier runs count too, and the dead letters of this run.
 * Registered only where a webhook is configured.
 */
@Injectable()
export class SignalWebhookMetrics implements OnModuleDestroy {
  private detach: (() => void) | undefined;
  private deadLetteredTotal: Counter | undefined;

  watch(ledger: SqliteWebhookLedger): void {
    this.detach?.();
    this.detach = gaugeReadAtScrape<'state'>(
      {
        name: 'rapport_signal_webhook_entries',
        help: 'Signals handed to the webhook, by delivery state (dead: see the ledger for why)',
        labelNames: ['state'],
      },
      (gauge) => {
        for (const [state, count] of Object.entries(ledger.counts())) gauge.set({ state }, count);
      },
    );
  }

  deadLettered(): void {
    this.deadLetteredTotal ??= counter({
      name: 'rapport_signal_webhook_dead_lettered_total',
      help: 'Signals dead-lettered for the webhook by this process (retries exhausted or refused)',
    });
    this.deadLetteredTotal.inc();
  }

  onModuleDestroy(): void {
    this.detach?.();
  }
}
