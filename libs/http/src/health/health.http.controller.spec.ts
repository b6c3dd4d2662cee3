import { Logger, ServiceUnavailableException } from '@nestjs/common';
import type { HealthCheckService } from '@nestjs/terminus';
import { ProblemDetailsException } from '../problem-details';
import { HealthHttpController } from './health.http.controller';
import type { ReadinessChecks } from './readiness.checks';

/** Checks as terminus reports them: answered when all are up, thrown as 503 otherwise. */
function healthAnswering(
  details: () => Record<string, { status: string; message?: string; parkedCustomers?: number }>,
) {
  return {
    check: () => {
      const now = details();
      const down = Object.values(now).some((detail) => detail.status !== 'up');
      if (down) throw new ServiceUnavailableException({ status: 'error', details: now });
      return Promise.resolve({ status: 'ok', details: now });
    },
  } as unknown as HealthCheckService;
}

describe('readiness', () => {
  let warnings: jest.SpyInstance;
  let infos: jest.SpyInstance;
  let readStore: { status: string; message?: string };
  let controller: HealthHttpController;

  beforeEach(() => {
    warnings = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => {});
    infos = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => {});
    readStore = { status: 'down', message: 'no answer within 2000 ms' };
    const health = healthAnswering(() => ({ eventStore: { status: 'up' }, readStore }));
    controller = new HealthHttpController(health, { all: () => [] } as unknown as ReadinessChecks);
  });
  afterEach(() => jest.restoreAllMocks());

  const problemOf = (pending: Promise<unknown>) =>
    pending.then(
      () => undefined,
      (error: unknown) => (error as ProblemDetailsException).problem,
    );

  it('names the failing checks in the answer, and logs them once while they stay the same', async () => {
    const first = await problemOf(controller.ready());
    await controller.ready().catch(() => {});
    expect(first).toMatchObject({
      status: 503,
      code: 'NOT_READY',
      detail: 'not ready: readStore (no answer within 2000 ms)',
    });
    expect(warnings.mock.calls).toEqual([['not ready: readStore (no answer within 2000 ms)']]);

    readStore = { status: 'down', message: 'connect ECONNREFUSED' };
    await controller.ready().catch(() => {});
    expect(warnings).toHaveBeenLastCalledWith('not ready: readStore (connect ECONNREFUSED)');
    expect(warnings).toHaveBeenCalledTimes(2);
  });

  it('logs once when it is ready again', async () => {
    await controller.ready().catch(() => {});
    readStore = { status: 'up' };
    await controller.ready();
    await controller.ready();
    expect(infos.mock.calls).toEqual([['ready again (was: readStore (no answer within 2000 ms))']]);
  });

  describe('when the projector has parked customers', () => {
    let projector: { status: string; message?: string; parkedCustomers?: number };
    beforeEach(() => {
      projector = {
        status: 'up',
        parkedCustomers: 2,
        message: '2 customers parked: an event could not be applied',
      };
      const health = healthAnswering(() => ({ eventStore: { status: 'up' }, projector }));
      controller = new HealthHttpController(health, {
        all: () => [],
      } as unknown as ReadinessChecks);
    });

    it('answers 200 with status degraded, and warns once while it stays so', async () => {
      const first = await controller.ready();
      await controller.ready();
      expect(first).toMatchObject({ status: 'degraded', details: { projector } });
      expect(warnings.mock.calls).toEqual([
        ['degraded: projector (2 customers parked: an event could not be applied)'],
      ]);
    });

    it('is ok again once a rebuild cleared them', async () => {
      await controller.ready();
      projector = { status: 'up' };
      expect(await controller.ready()).toMatchObject({ status: 'ok' });
      expect(infos).toHaveBeenCalledWith(
        'no longer degraded (was: projector (2 customers parked: an event could not be applied))',
      );
    });
  });
});
