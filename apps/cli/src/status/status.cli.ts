import type { RapportConfig } from '@rapport/config';
import { EXIT } from '../shared/exit-codes';
import { Command } from 'commander';

/** `rapport status`: where the stores, views, dead letters and churn model stand. */
export function statusCommand(): Command {
  return new Command('status')
    .description(
      'event store and its last position, each projection: active generation, checkpoint and ' +
        'lag, rebuild in progress; dead letters waiting (with KAFKA_BROKERS); last churn-model fit',
    )
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      '\nWith the embedded in-memory views the projector state lives in the platform process:\n' +
        'this shows the event store only; ask GET /v1/projections/status on the platform.',
    )
    .action(async (options: { json?: boolean }) => {
      const { createInsightsEngine } = await import('../shared/lib/insights.lib');
      const { checkStoreBinding, describeBindingProblems, REBUILD_COMMAND, readProjectionsStatus } =
        await import('../shared/lib/projector.lib');
      const { countDeadLetters } = await import('../shared/lib/messaging.lib');
      const { missingEventStore, withStores } = await import('../shared/cli-stores');
      const { loadConfig } = await import('../shared/lib/config.lib');
      const config = loadConfig(process.env);
      const missing = missingEventStore(config);
      if (missing) {
        await reportMissingStore(config, missing, options.json ?? false);
        return;
      }
      await withStores(async (stores) => {
        const { config } = stores;
        const shared = config.readStore.kind !== 'memory';
        const views = shared
          ? await readProjectionsStatus(stores.eventStore, stores.readStore, stores.generations)
          : { head: (await stores.eventStore.headPosition()).toString(), projections: [] };
        const binding = shared
          ? await checkStoreBinding(stores.eventStore, stores.readStore)
          : undefined;
        const snapshot = shared
          ? await createInsightsEngine(stores.readStore, config, stores.generations).current()
          : undefined;
        const deadLetters = config.kafka
          ? await countDeadLetters(config.kafka).catch((error: Error) => ({ error: error.message }))
          : undefined;
        const store =
          config.eventStore.kind === 'sqlite' ? `SQLite ${config.eventStore.path}` : 'EventStoreDB';
        const eventStoreId = binding?.eventStore.id ?? (await stores.eventStore.identity());
        const report = {
          eventStore: { store, id: eventStoreId, lastPosition: views.head },
          readStore: config.readStore.kind,
          binding: binding
            ? {
                state: binding.state,
                checkpoints: binding.checkpoints.map((c) => ({
                  checkpoint: c.checkpoint,
                  position: c.position.toString(),
                  eventStoreId: c.eventStoreId ?? null,
                })),
                problems: binding.problems.map((p) => ({
                  checkpoint: p.checkpoint,
                  reason: p.reason,
                  position: p.position.toString(),
                  eventStoreId: p.eventStoreId ?? null,
                })),
              }
            : null,
          projections: views.projections,
          deadLetters: deadLetters ?? null,
          churnModel: snapshot
            ? {
                fittedAt: snapshot.computedAt,
                asOf: snapshot.model.asOf,
                customers: snapshot.model.fit?.customers ?? snapshot.customers,
                logLikelihood: snapshot.model.fit?.logLikelihood ?? null,
                params: snapshot.model.fit?.params ?? null,
              }
            : null,
          insightsExcluded: snapshot?.excluded ?? null,
        };
        // A script checking the platform must not read "views built from another event store"
        // as healthy: said on stderr, and exit 1 (READ_STORE_MISMATCH).
        const mismatch = binding?.state === 'mismatch';
        if (mismatch) {
          process.stderr.write(
            `rapport: READ_STORE_MISMATCH: ${describeBindingProblems(binding)}; fix: ${REBUILD_COMMAND}\n`,
          );
          process.exitCode = EXIT.failure;
        }
        if (options.json) {
          process.stdout.write(JSON.stringify(report, null, 2) + '\n');
          return;
        }
        const lines = [
          `event store   ${store} (identity ${eventStoreId}), last position ${views.head}`,
          `read store    ${config.readStore.kind}${shared ? '' : ' (views live in the platform process: GET /v1/projections/status)'}`,
        ];
        if (binding)
          lines.push(
            binding.state === 'mismatch'
              ? `binding       MISMATCH: ${describeBindingProblems(binding)}; fix: ${REBUILD_COMMAND}`
              : binding.state === 'unrecorded'
                ? 'binding       not recorded yet (written before bindings; the projector adopts it at start)'
                : `binding       built from this event store`,
          );
        for (const p of views.projections)
          lines.push(
            `projection    ${p.name}: generation ${p.generation} (${p.collection}), ${p.records} records, ` +
              `checkpoint ${p.position}, lag ${p.lag}` +
              (p.building
                ? `; rebuild of generation ${p.building.generation} at ${p.building.position}`
                : '') +
              (p.parked.count ? `; ${p.parked.count} customers parked` : ''),
          );
        for (const p of views.projections)
          for (const c of p.parked.customers)
            lines.push(
              `parked        ${p.name}: customer ${c.customerId} at position ${c.position} ` +
                `(${c.eventType}): ${c.error}`,
            );
        if (deadLetters)
          lines.push(
            'error' in deadLetters
              ? `dead letters  unknown (${deadLetters.error})`
              : `dead letters  ${deadLetters.waiting} waiting on ${deadLetters.topic}`,
          );
        lines.push(
          report.churnModel
            ? `churn model   fitted ${report.churnModel.fittedAt} as of ${report.churnModel.asOf}: ` +
                `${report.churnModel.customers} customers, log-likelihood ${report.churnModel.logLikelihood?.toFixed(1) ?? 'n/a'}`
            : 'churn model   no fit saved yet',
        );
        if (report.insightsExcluded?.count)
          lines.push(
            `insights      leave out ${report.insightsExcluded.count} customers: ` +
              report.insightsExcluded.customers
                .slice(0, 5)
                .map((c) => `${c.customerId} (${c.reason})`)
                .join('; '),
          );
        process.stdout.write(lines.join('\n') + '\n');
      });
    });
}

/**
 * No event store where DATA_DIR points: say so (exit 1) instead of creating an empty one and
 * reporting position -1; dead letters do not depend on it and are still counted.
 */
async function reportMissingStore(
  config: RapportConfig,
  missing: string,
  json: boolean,
): Promise<void> {
  const { countDeadLetters } = await import('../shared/lib/messaging.lib');
  const deadLetters = config.kafka
    ? await countDeadLetters(config.kafka).catch((error: Error) => ({ error: error.message }))
    : null;
  if (json)
    process.stdout.write(
      JSON.stringify(
        { eventStore: { missing }, readStore: config.readStore.kind, deadLetters },
        null,
        2,
      ) + '\n',
    );
  else process.stdout.write(`event store   ${missing}\n`);
  process.stderr.write(`rapport: ${missing}\n`);
  process.exitCode = EXIT.failure;
}
