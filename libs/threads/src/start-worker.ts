import { extname } from 'node:path';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * Starts the worker thread whose entry file is `entry` without its extension. Built code runs
 * the compiled `.js` beside this file; ts-node and Jest run the sources, so the thread compiles
 * its `.ts` entry the same way (and resolves the @rapport aliases).
 */
export function startWorker(entry: string, options: WorkerOptions = {}): Worker {
  const extension = extname(__filename);
  return new Worker(`${entry}${extension}`, {
    ...options,
    ...(extension === '.ts'
      ? {
          execArgv: [
            ...(options.execArgv ?? []),
            '--require',
            'ts-node/register/transpile-only',
            '--require',
            'tsconfig-paths/register',
          ],
        }
      : {}),
  });
}
