import { Logger } from '@nestjs/common';
import { loadConfig } from '@rapport/config';
import { createHttpApp, serveDashboard } from '@rapport/http';
import { QueryApiAppModule } from './query-api.app.module';

async function main(): Promise<void> {
  const config = loadConfig();
  if (config.readStore.kind === 'memory') {
    throw new Error('the query API as its own service reads a shared read store: set REDIS_URL');
  }
  const app = await createHttpApp(QueryApiAppModule.forRoot(config), config);
  await serveDashboard(app);
  await app.listen(config.port, config.host);
  new Logger('QueryApi').log(`query API listening on port ${config.port}`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `query API failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
