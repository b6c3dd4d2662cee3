import {
  Inject,
  Injectable,
  Optional,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { READ_STORE, type ReadStore } from '@rapport/read-store';
import { gaugeReadAtScrape } from './metric';

/**
 * `rapport_read_store_records{form="objects"|"text"}`: records the in-memory read store holds
 * as objects and as text, at scrape time. After a catch-up or a rebuild, objects are written
 * out as text over minutes; until then the collector traces them all and queries are slower.
 * Not exported for a store that holds its records elsewhere.
 */
@Injectable()
export class ReadStoreMetrics implements OnModuleInit, OnModuleDestroy {
  private detach: (() => void) | undefined;

  constructor(@Optional() @Inject(READ_STORE) private readonly store?: ReadStore) {}

  onModuleInit(): void {
    const store = this.store;
    if (!store?.heldRecords) return;
    this.detach = gaugeReadAtScrape(
      {
        name: 'rapport_read_store_records',
        help: 'Records the in-memory read store holds, by form: objects (recently written) or text',
        labelNames: ['form'],
      },
      (gauge) => {
        const { objects, text } = store.heldRecords!();
        gauge.set({ form: 'objects' }, objects);
        gauge.set({ form: 'text' }, text);
      },
    );
  }

  onModuleDestroy(): void {
    this.detach?.();
  }
}
