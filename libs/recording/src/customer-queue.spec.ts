import { CustomerQueue } from './customer-queue';

function deferred() {
  let resolve: () => void = () => {};
  let reject: (error: Error) => void = () => {};
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('CustomerQueue', () => {
  const queue = new CustomerQueue();

  describe('when work for a customer is still running', () => {
    it('starts later work sharing a customer only after it settled, even as a failure', async () => {
      const first = deferred();
      const started: string[] = [];
      const failing = queue.run(['C-1', 'C-2'], async () => {
        started.push('first');
        await first.promise;
      });
      const later = queue.run(['C-2', 'C-3'], async () => {
        started.push('later');
      });
      await new Promise((resolve) => setImmediate(resolve));
      expect(started).toEqual(['first']);
      first.reject(new Error('store down'));
      await expect(failing).rejects.toThrow('store down');
      await later;
      expect(started).toEqual(['first', 'later']);
    });

    it('starts work for other customers at once', async () => {
      const first = deferred();
      const running = queue.run(['C-1'], () => first.promise);
      await expect(queue.run(['C-9'], async () => 'done')).resolves.toBe('done');
      first.resolve();
      await running;
    });
  });
});
