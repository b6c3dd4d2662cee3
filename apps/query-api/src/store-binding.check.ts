import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { STORE_BINDING, type StoreBindingMonitor } from '@rapport/projector';

/**
 * The query API as its own service reads views the projector service writes: it refuses to
 * start on a read store built from another event store (READ_STORE_MISMATCH=refuse), or
 * starts not ready and answers reads 503 until the projector has rebuilt it (rebuild).
 */
@Injectable()
export class QueryApiStoreBindingCheck implements OnApplicationBootstrap {
  constructor(@Inject(STORE_BINDING) private readonly binding: StoreBindingMonitor) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.binding.verifyForReaders();
  }
}
