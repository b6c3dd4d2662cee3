import { Logger } from '@nestjs/common';
import { loadConfig } from '@rapport/config';
import { createHttpApp } from '@rapport/http';
import { IngestAppModule } from './ingest.app.module';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createHttpApp(IngestAppModule.forRoot(config), config);
  await app.listen(config.port, config.host);
  new Logger('Ingest').log(`ingest listening on port ${config.port}`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `ingest failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
