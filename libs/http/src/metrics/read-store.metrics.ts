import {
  Inject,
  Injectable,
  Optional,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { READ_STORE, type ReadStore } from '@rapport/read-store';
import { gauge } from './metric';

type Source = () => { objects: number; text: number };
let source: Source | undefined;

/**
 * `rapport_read_store_records{form="objects"|"text"}`: records the in-memory read store holds
 * as objects and as text, at scrape time. After a catch-up or a rebuild, objects are written
 * out as text over minutes; until then the collector traces them all and queries are slower.
 * Not exported for a store that holds its records elsewhere.
 */
@Injectable()
export class ReadStoreMetrics implements OnModuleInit, OnModuleDestroy {
  private measure: Source | undefined;

  constructor(@Optional() @Inject(READ_STORE) private readonly store?: ReadStore) {}

  onModuleInit(): void {
    const store = this.store;
    if (!store?.heldRecords) return;
    this.measure = () => store.heldRecords!();
    source = this.measure;
    gauge({
      name: 'rapport_read_store_records',
      help: 'Records the in-memory read store holds, by form: objects (recently written) or text',
      labelNames: ['form'],
      collect() {
        if (!source) return;
        const { objects, text } = source();
        this.set({ form: 'objects' }, objects);
        this.set({ form: 'text' }, text);
      },
    });
  }

  onModuleDestroy(): void {
    if (source === this.measure) source = undefined;
  }
}
