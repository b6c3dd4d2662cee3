import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { loadConfig, SHUTDOWN_SIGNALS } from '@rapport/config';
import { ProjectorAppModule } from './projector.app.module';

/** The projector as its own service: no HTTP, just events in and read models out. */
async function main(): Promise<void> {
  const config = loadConfig();
  const app = await NestFactory.createApplicationContext(ProjectorAppModule.forRoot(config), {
    bufferLogs: true,
  });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks([...SHUTDOWN_SIGNALS]);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `projector failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
