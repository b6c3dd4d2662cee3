import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import { Logger } from '@nestjs/common';
import type { MessagePublisher } from '@rapport/messaging';
import type { PopulationSignalEvaluation } from '../population/population-signal-evaluation';
import type { SignalWebhook } from '../webhook/signal-webhook';
import type { SignalDerivation } from './signal-derivation';
import type { SignalOutboxPublisher } from './signal-outbox.publisher';

export interface SignalDeliveryOptions {
  /** Wait when there is nothing to do. */
  readonly idleMs: number;
  /** Between sweeps of every customer (0: never). */
  readonly sweepMs: number;
  readonly retry: { readonly initialMs: number; readonly maxMs: number };
  /** How often the population rules look whether event time passed a window boundary. */
  readonly populationCheckMs?: number;
  /**
   * Derivation (with its sweeps) and the population rules start only once this says true
   * (asked until it does, then never again): at start, the projector's catch-up goes first
   * (see afterProjectorCatchUp). Undefined: start at once.
   */
  readonly startWhen?: () => boolean;
}

/**
 * Runs derivation and publishing as two loops: a broker outage stops only the publishing one
 * (the ledger keeps what is pending, with its ids) and derivation goes on; each loop backs off
 * exponentially on failure and resumes where the ledger says, never skipping.
 */
export class SignalDelivery {
  private readonly logger = new Logger('SignalDelivery');
  private stopping = false;
  private loops: Promise<void>[] = [];
  private lastSweep = 0;
  private wake = new AbortController();
  private held: boolean;

  constructor(
    private readonly derivation: SignalDerivation,
    private readonly outbox: SignalOutboxPublisher | undefined,
    private readonly publisher: MessagePublisher | undefined,
    private readonly options: SignalDeliveryOptions,
    private readonly population?: PopulationSignalEvaluation,
    private readonly webhook?: SignalWebhook,
  ) {
    this.held = options.startWhen !== undefined;
  }

  start(): void {
    this.stopping = false;
    this.wake = new AbortController();
    this.loops = [this.loop('derive', () => this.deriveStep())];
    if (this.webhook) {
      const { webhook, derivation } = this;
      // Its own loop: a slow or failing receiver holds up neither derivation nor Kafka.
      this.loops.push(
        this.loop('webhook', async () => (await webhook.step(derivation.watermark())) > 0),
      );
    }
    if (this.population) {
      const { population, derivation } = this;
      // Event time, as derivation has read it, says which window boundaries are due.
      this.loops.push(
        this.loop(
          'population',
          async () => {
            if (!this.released()) return false;
            const { windows } = await population.evaluateUpTo(
              derivation.watermark(),
              derivation.readUpTo(),
              this.wake.signal,
            );
            return windows > 0;
          },
          this.options.populationCheckMs,
        ),
      );
    }
    if (this.outbox && this.publisher) {
      const { outbox, publisher } = this;
      let connected = false;
      this.loops.push(
        this.loop('publish', async () => {
          if (!connected) {
            await publisher.connect();
            connected = true;
          }
          return (await outbox.step()) > 0;
        }),
      );
    }
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wake.abort();
    await Promise.all(this.loops);
    await this.publisher?.disconnect().catch(() => undefined);
  }

  private async deriveStep(): Promise<boolean> {
    if (!this.released()) return false;
    const busy = await this.derivation.step();
    if (busy || this.options.sweepMs === 0) return busy;
    if (Date.now() - this.lastSweep < this.options.sweepMs) return false;
    this.lastSweep = Date.now();
    await this.derivation.sweep();
    return false;
  }

  /** Whether derivation may run: once `startWhen` has said yes, for good. */
  private released(): boolean {
    if (this.held && this.options.startWhen!()) {
      this.held = false;
      this.logger.log('the projector has caught up: signal derivation starts');
    }
    return !this.held;
  }

  private async loop(
    name: string,
    step: () => Promise<boolean>,
    idleMs = this.options.idleMs,
  ): Promise<void> {
    let wait = this.options.retry.initialMs;
    let failing = false;
    while (!this.stopping) {
      try {
        const busy = await step();
        if (failing) this.logger.log(`${name}: working again`);
        failing = false;
        wait = this.options.retry.initialMs;
        // A step over the embedded stores (SQLite, memory) never waits on I/O, so a run of busy
        // steps (a catch-up) would chain promises without the event loop ever turning: no
        // request, not even /health/live, would be answered until it ended.
        if (busy) await nextTurn();
        else await this.pause(idleMs);
      } catch (error) {
        if (this.stopping) break;
        failing = true;
        this.logger.warn(
          `${name} failed (${error instanceof Error ? error.message : String(error)}); retrying in ${wait} ms`,
        );
        await this.pause(wait);
        wait = Math.min(wait * 2, this.options.retry.maxMs);
      }
    }
  }

  private async pause(ms: number): Promise<void> {
    await sleep(ms, undefined, { signal: this.wake.signal }).catch(() => undefined);
  }
}
