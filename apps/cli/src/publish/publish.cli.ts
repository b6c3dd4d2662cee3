import { Command, InvalidArgumentError } from 'commander';
import type { PublishOptions } from './publish-touchpoints';

/** `rapport publish <file.ndjson>`: channel teams send touchpoints to Kafka. */
export function publishCommand(): Command {
  return new Command('publish')
    .description(
      'send touchpoints from an NDJSON file (one JSON object per line) to Kafka, keyed by customerId',
    )
    .argument('<file>', 'NDJSON file of touchpoint messages')
    .option('-b, --brokers <host:port,...>', 'Kafka bootstrap servers (default: KAFKA_BROKERS)')
    .option('-t, --topic <name>', 'topic (default: KAFKA_TOPIC, else "touchpoints")')
    .option('--batch-size <n>', 'messages per produce request', positiveInteger, 500)
    .option('--no-validate', 'send every line as it is, without checking the contract first')
    .action(async (file: string, options: PublishOptions) => {
      const { publishTouchpoints } = await import('./publish-touchpoints');
      const summary = await publishTouchpoints(file, options);
      process.stdout.write(summary.text);
      // A script that publishes must notice that some lines were left out.
      if (summary.invalid > 0) process.exitCode = 1;
    });
}

function positiveInteger(raw: string): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 100_000)
    throw new InvalidArgumentError('must be an integer from 1 to 100000');
  return value;
}
