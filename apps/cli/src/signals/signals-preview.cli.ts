import { Command, Option } from 'commander';
import type { SignalFacts, SignalPreview, SignalRulesConfig } from '@rapport/signals';
import { asOfOption, integerOption } from '../shared/options';
import { previewPopulationRule } from './population-preview';

interface PreviewOptions {
  readonly rule: string;
  readonly asOf?: string;
  readonly samples: number;
  readonly days?: number;
  readonly json?: boolean;
}

const RULES = [
  'thank-you',
  'complaint-follow-up',
  'cancellation-save',
  'freezing-point',
  'tier-move',
  'win-back',
];

/** `rapport signals preview`: what a rule would fire on the stored history; publishes nothing. */
export function signalsCommand(): Command {
  const signals = new Command('signals').description('retention signals');
  signals
    .command('preview')
    .description(
      'count and sample what one rule would fire on the stored history as of an instant, with ' +
        'the thresholds of the SIGNALS_* variables (the rule counts as switched on); reads the ' +
        'event store only, publishes and records nothing',
    )
    .addOption(new Option('--rule <rule>', 'the rule').choices(RULES).makeOptionMandatory())
    .option(
      '--as-of <date>',
      'evaluate at this instant; a date YYYY-MM-DD means its end (default: the latest event time in the store)',
      asOfOption,
    )
    .option('--samples <n>', 'how many signals to show', (raw) => Number.parseInt(raw, 10), 5)
    .option(
      '--days <n>',
      'tier-move and win-back: evaluate the window boundaries of this many days before --as-of, ' +
        'the first as the baseline (default: the rule\'s SIGNALS_…_EXPIRES_DAYS)',
      integerOption(1, 3650),
    )
    .option('--json', 'print JSON')
    .action(async (options: PreviewOptions) => {
      const lib = await import('../shared/lib/signals.lib');
      const { withStores } = await import('../shared/cli-stores');
      await withStores(async (stores) => {
        const { storedSignalFacts } = await import('./profile-signal-facts');
        const { facts, latest } = await storedSignalFacts(stores.eventStore);
        const asOf = options.asOf ?? new Date(latest ?? 0).toISOString();
        const preview =
          options.rule === 'tier-move' || options.rule === 'win-back'
            ? await previewPopulationRule(
                stores,
                options.rule,
                asOf,
                options.days,
                options.samples,
                facts,
              )
            : previewEventRule(lib, options, asOf, stores.config.signals.rules, facts);
        if (options.json) {
          process.stdout.write(JSON.stringify(preview, null, 2) + '\n');
          return;
        }
        const triggers = Object.entries(preview.byTrigger)
          .map(([trigger, count]) => `${trigger} ${count}`)
          .join(', ');
        const population = options.rule === 'tier-move' || options.rule === 'win-back';
        process.stdout.write(
          `${preview.rule} as of ${preview.asOf}: ${preview.due} signals due ` +
            (population ? 'at the window boundaries evaluated ' : 'over the history ') +
            `(${triggers || 'none'}), ${preview.pending} not yet expired — what would be sent now; ` +
            `${preview.customers} customers ` +
            (population
              ? 'in the population at the last boundary\n'
              : 'with purchases, cancellations or complaints\n') +
            preview.samples
              .map((s) => `  ${s.dueAt}  ${s.subject.id}  ${s.trigger}: ${s.reason}\n`)
              .join(''),
        );
      });
    });
  return signals;
}

function previewEventRule(
  lib: typeof import('../shared/lib/signals.lib'),
  options: PreviewOptions,
  asOf: string,
  rules: SignalRulesConfig,
  facts: ReadonlyMap<string, SignalFacts>,
): SignalPreview {
  const previewer = new lib.SignalPreviewer(
    options.rule as (typeof lib.SIGNAL_RULES)[number],
    rules,
    asOf,
    options.samples,
  );
  for (const customer of facts.values()) previewer.add(customer);
  return previewer.result();
}
