import 'reflect-metadata';
import { loadConfig } from '@rapport/config';
import { startIngest } from './ingest.harness';

/**
 * A consumer that dies by SIGKILL right after its first batch was appended and before the
 * offset is committed: no shutdown hook, no commit, no group leave.
 */
async function main(): Promise<void> {
  const config = loadConfig(process.env).kafka!;
  await startIngest(config, process.env.CHILD_DB_PATH!, {
    beforeCommit: () => {
      process.stdout.write('appended\n');
      process.kill(process.pid, 'SIGKILL');
    },
  });
  process.stdout.write('started\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`child failed: ${String(error)}\n`);
  process.exit(2);
});
