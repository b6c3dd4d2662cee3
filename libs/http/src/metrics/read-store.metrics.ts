import { Inject, Injectable, Optional } from '@nestjs/common';
import { ScrapedGauge, type ScrapedGaugeDefinition } from '@rapport/metrics';
import { READ_STORE, type ReadStore } from '@rapport/read-store';

/**
 * `rapport_read_store_records{form="objects"|"text"}`: records the in-memory read store holds
 * as objects and as text, at scrape time. After a catch-up or a rebuild, objects are written
 * out as text over minutes; until then the collector traces them all and queries are slower.
 * Not exported for a store that holds its records elsewhere.
 */
@Injectable()
export class ReadStoreMetrics extends ScrapedGauge<'form'> {
  constructor(@Optional() @Inject(READ_STORE) private readonly store?: ReadStore) {
    super();
  }

  protected definition(): ScrapedGaugeDefinition<'form'> | undefined {
    const held = this.store?.heldRecords?.bind(this.store);
    if (!held) return undefined;
    return {
      config: {
        name: 'rapport_read_store_records',
        help: 'Records the in-memory read store holds, by form: objects (recently written) or text',
        labelNames: ['form'],
      },
      read: (gauge) => {
        const { objects, text } = held();
        gauge.set({ form: 'objects' }, objects);
        gauge.set({ form: 'text' }, text);
      },
    };
  }
}
