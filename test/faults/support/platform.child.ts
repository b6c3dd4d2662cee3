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
  const config = loadConfig(process.env);
  const app = await createHttpApp(PlatformModule.forRoot(config), config);
  await app.listen(config.port, config.host);
  const address = app.getHttpServer().address() as { port: number };
  process.stdout.write(`ready ${address.port}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`platform child failed: ${String(error)}\n`);
  process.exit(2);
});
