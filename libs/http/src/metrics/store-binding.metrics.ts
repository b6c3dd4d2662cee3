import { Inject, Injectable, Optional } from '@nestjs/common';
import { ScrapedGauge, type ScrapedGaugeDefinition } from '@rapport/metrics';
import { STORE_BINDING, STORE_BINDING_STATES, type StoreBindingMonitor } from '@rapport/projector';

/**
 * `rapport_read_store_binding{state}`: 1 for the state the read store is in against this
 * event store (bound, rebuilt at start, rebuilding, mismatch), 0 for the others; all 0 when
 * the stores do not answer. Alert on `state="mismatch"` or a long `state="rebuilding"`.
 */
@Injectable()
export class StoreBindingMetrics extends ScrapedGauge<'state'> {
  constructor(@Optional() @Inject(STORE_BINDING) private readonly binding?: StoreBindingMonitor) {
    super();
  }

  protected definition(): ScrapedGaugeDefinition<'state'> | undefined {
    const binding = this.binding;
    if (!binding) return undefined;
    return {
      config: {
        name: 'rapport_read_store_binding',
        help: 'Whether the read store was built from this event store: 1 for the current state',
        labelNames: ['state'],
      },
      read: async (gauge) => {
        const current = await binding.status().then(
          (status) => status.state,
          () => undefined,
        );
        for (const state of STORE_BINDING_STATES) gauge.set({ state }, state === current ? 1 : 0);
      },
    };
  }
}
