import { afterProjectorCatchUp } from './after-projector-catch-up';

describe('when signal derivation asks whether it may start', () => {
  it('then, beside a projector in this process, it waits until that projector has caught up once', () => {
    let caughtUpOnce = false;
    const startWhen = afterProjectorCatchUp({ caughtUpOnce: () => caughtUpOnce });

    expect(startWhen?.()).toBe(false);
    caughtUpOnce = true;
    expect(startWhen?.()).toBe(true);
  });

  it('then, with the projector elsewhere or unknown, it starts at once', () => {
    expect(afterProjectorCatchUp({ caughtUpOnce: () => undefined })).toBeUndefined();
    expect(afterProjectorCatchUp(undefined)).toBeUndefined();
  });
});
