import {
  Inject,
  Injectable,
  Optional,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { STORE_BINDING, STORE_BINDING_STATES, type StoreBindingMonitor } from '@rapport/projector';
import { gaugeReadAtScrape } from './metric';

/**
 * `rapport_read_store_binding{state}`: 1 for the state the read store is in against this
 * event store (bound, rebuilt at start, rebuilding, mismatch), 0 for the others; all 0 when
 * the stores do not answer. Alert on `state="mismatch"` or a long `state="rebuilding"`.
 */
@Injectable()
export class StoreBindingMetrics implements OnModuleInit, OnModuleDestroy {
  private detach: (() => void) | undefined;

  constructor(@Optional() @Inject(STORE_BINDING) private readonly binding?: StoreBindingMonitor) {}

  onModuleInit(): void {
    const binding = this.binding;
    if (!binding) return;
    this.detach = gaugeReadAtScrape(
      {
        name: 'rapport_read_store_binding',
        help: 'Whether the read store was built from this event store: 1 for the current state',
        labelNames: ['state'],
      },
      async (gauge) => {
        const current = await binding.status().then(
          (status) => status.state,
          () => undefined,
        );
        for (const state of STORE_BINDING_STATES) gauge.set({ state }, state === current ? 1 : 0);
      },
    );
  }

  onModuleDestroy(): void {
    this.detach?.();
  }
}
