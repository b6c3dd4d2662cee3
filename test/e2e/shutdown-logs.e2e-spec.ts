import { PassThrough } from 'node:stream';
import { startPlatform } from '@rapport/test-support';

// Starting the platform takes a few seconds on a busy machine.
jest.setTimeout(60_000);

/**
 * An operator reading the logs after a deploy or a crash loop must tell a clean stop from a
 * kill. (One platform per file: nestjs-pino keeps the first logger of a process.)
 */
describe('shutdown logs', () => {
  it('logs when it starts to stop and when it has stopped', async () => {
    const stream = new PassThrough();
    let logs = '';
    stream.on('data', (chunk: Buffer) => (logs += chunk.toString()));
    const platform = await startPlatform({ LOG_LEVEL: 'info' }, undefined, { logs: stream });
    await platform.destroy();
    // The stream hands lines on asynchronously; the last one may come a moment after close.
    for (let waited = 0; !logs.includes('"msg":"stopped') && waited < 5_000; waited += 50)
      await new Promise((resolve) => setTimeout(resolve, 50));
    const shutdown = logs
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { context?: string; msg?: string })
      .filter((line) => line.context === 'Shutdown')
      .map((line) => line.msg);
    expect(shutdown).toEqual([
      expect.stringMatching(/^stopping: finishing work in flight/),
      expect.stringMatching(/^stopped in \d+ ms$/),
    ]);
  });
});
