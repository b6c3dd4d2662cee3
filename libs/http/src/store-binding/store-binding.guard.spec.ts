import type { ExecutionContext } from '@nestjs/common';
import type { StoreBindingMonitor, StoreBindingStatus } from '@rapport/projector';
import type { ProblemDetailsException } from '../problem-details';
import { ReadsNoView } from '../read-your-writes/reads-no-view.decorator';
import { StoreBindingGuard } from './store-binding.guard';

class SomeController {
  view(): void {}
  @ReadsNoView()
  caller(): void {}
}

function httpContext(
  method: string,
  url: string,
  handler: () => void = SomeController.prototype.view,
): ExecutionContext {
  return {
    getType: () => 'http',
    switchToHttp: () => ({ getRequest: () => ({ method, url }) }),
    getHandler: () => handler,
    getClass: () => SomeController,
  } as unknown as ExecutionContext;
}

function guardWith(status: () => Promise<StoreBindingStatus>): StoreBindingGuard {
  return new StoreBindingGuard({ status } as unknown as StoreBindingMonitor);
}

const base = { eventStoreId: 'store-a', head: '57' };

describe('StoreBindingGuard', () => {
  it('holds reads back with 503 while the read store belongs to another event store', async () => {
    const guard = guardWith(async () => ({
      ...base,
      state: 'mismatch',
      message: 'the read store does not belong to this event store: …',
    }));
    const refused = await guard
      .canActivate(httpContext('GET', '/v1/customers/C-1'))
      .catch((error: ProblemDetailsException) => error.problem);
    expect(refused).toMatchObject({
      status: 503,
      code: 'READ_STORE_MISMATCH',
      detail: 'the read store does not belong to this event store: …',
    });
  });

  it('lets writes, probes and bound or rebuilt stores through', async () => {
    const mismatched = guardWith(async () => ({ ...base, state: 'rebuilding', message: '…' }));
    expect(await mismatched.canActivate(httpContext('POST', '/v1/touchpoints'))).toBe(true);
    expect(await mismatched.canActivate(httpContext('GET', '/health/ready'))).toBe(true);
    for (const state of ['bound', 'rebuilt'] as const)
      expect(
        await guardWith(async () => ({ ...base, state })).canActivate(
          httpContext('GET', '/v1/customers/C-1'),
        ),
      ).toBe(true);
  });

  it('leaves a store that does not answer to the read itself', async () => {
    const guard = guardWith(() => Promise.reject(new Error('no answer')));
    expect(await guard.canActivate(httpContext('GET', '/v1/customers/C-1'))).toBe(true);
  });

  it('lets a read route marked @ReadsNoView() through while the views are refused', async () => {
    const rebuilding = guardWith(async () => ({ ...base, state: 'rebuilding', message: '…' }));
    const caller = httpContext('GET', '/v1/me', SomeController.prototype.caller);
    expect(await rebuilding.canActivate(caller)).toBe(true);
  });
});
