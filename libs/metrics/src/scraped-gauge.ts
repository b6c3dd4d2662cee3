import type { OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type { Gauge, GaugeConfiguration } from 'prom-client';
import { gaugeReadAtScrape } from './metric';

export interface ScrapedGaugeDefinition<L extends string> {
  readonly config: Omit<GaugeConfiguration<L>, 'registers' | 'collect'>;
  readonly read: (gauge: Gauge<L>) => void | Promise<void>;
}

/**
 * A gauge an app measures at scrape time, attached while the app's module lives: subclasses
 * say what it is and how to read it, or undefined where this process has nothing to report.
 */
export abstract class ScrapedGauge<L extends string = string>
  implements OnModuleInit, OnModuleDestroy
{
  private detach: (() => void) | undefined;

  protected abstract definition(): ScrapedGaugeDefinition<L> | undefined;

  onModuleInit(): void {
    const definition = this.definition();
    if (definition) this.detach = gaugeReadAtScrape(definition.config, definition.read);
  }

  onModuleDestroy(): void {
    this.detach?.();
  }
}
