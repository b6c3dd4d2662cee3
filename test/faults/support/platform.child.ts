import 'reflect-metadata';
import { loadConfig } from '@rapport/config';
import { createHttpApp } from '@rapport/http';
import { PlatformModule } from '../../../apps/platform/src/platform.module';

/**
 * The all-in-one platform as `npm start` builds it, in a process of its own that a fault test
 * may SIGKILL at any moment. Configured entirely by its environment (DATA_DIR, REDIS_URL,
 * KAFKA_*); says "ready <port>" on stdout once it listens.
 */
async function main(): Promise<void> {
  process.stdout.write('booting\n');
  answerMemoryProbes();
  const config = loadConfig(process.env);
  const app = await createHttpApp(PlatformModule.forRoot(config), config);
  await app.listen(config.port, config.host);
  const address = app.getHttpServer().address() as { port: number };
  process.stdout.write(`ready ${address.port}\n`);
}

/**
 * Started with --expose-gc and an IPC channel, a "memory-after-gc" message collects all garbage
 * and answers with the heap used then (what is live), V8's heap size and RSS, so a test can
 * tell memory held from V8 merely sizing its heap. A message, not a signal, as it answers with
 * figures.
 */
function answerMemoryProbes(): void {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (!collect || !process.send) return;
  process.on('message', (message) => {
    if (message !== 'memory-after-gc') return;
    void collectThoroughly(collect).then(() => {
      const { heapUsed, heapTotal, rss } = process.memoryUsage();
      process.send!({ liveHeapBytes: heapUsed, heapTotalBytes: heapTotal, rssBytes: rss });
    });
  });
  // The channel must not keep the process alive once the app has closed.
  process.channel?.unref();
}

/**
 * One gc() leaves garbage that a collection only frees on a later round (objects kept by weak
 * references and finalizers, code V8 flushes when it has aged): a heap snapshot of the load
 * test's platform grew 40 KB over a run where one gc()'s heap-used grew 3.3 MB. Collections
 * until heap-used settles measure what is held.
 */
async function collectThoroughly(collect: () => void): Promise<void> {
  let previous = Number.POSITIVE_INFINITY;
  for (let round = 0; round < 8; round++) {
    collect();
    await new Promise((resolve) => setImmediate(resolve));
    const used = process.memoryUsage().heapUsed;
    if (used >= previous - 64 * 1024) return;
    previous = used;
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`platform child failed: ${String(error)}\n`);
  process.exit(2);
});
