import { Logger } from '@nestjs/common';
import { loadConfig } from '@rapport/config';
import { createHttpApp, serveDashboard } from '@rapport/http';
import { PlatformModule } from './platform.module';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createHttpApp(PlatformModule.forRoot(config), config);
  await serveDashboard(app);
  await app.listen(config.port, config.host);
  const store =
    config.eventStore.kind === 'sqlite' ? `SQLite at ${config.eventStore.path}` : 'EventStoreDB';
  new Logger('Platform').log(
    `Rapport listening on http://localhost:${config.port} (events: ${store}; views: ${config.readStore.kind})`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(
    `Rapport failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
