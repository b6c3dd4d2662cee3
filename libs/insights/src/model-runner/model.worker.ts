import { parentPort, threadId } from 'node:worker_threads';
import { fitBgNbd, type BgNbdSummary } from '@rapport/analytics';
import { buildInsightsModel, buildInsightsModelOf, type PopulationFacts } from '../population';
import { populationOfColumns } from './columns-population';
import type { ModelJobReply, ModelJobRequest } from './model-worker.protocol';
import type { PopulationColumns } from './population-columns';

// The entry point of the thread WorkerModelRunner starts: pure computations, no I/O.
const inputs = new Map<number, unknown[]>();
// Population pages stay the columns they came as: the model reads them in place.
const columnPages = new Map<number, PopulationColumns[]>();
const port = parentPort;
if (!port) throw new Error('model.worker runs as a worker thread only');

port.on('message', (request: ModelJobRequest) => {
  if (request.kind === 'add') {
    let items = inputs.get(request.job);
    if (!items) inputs.set(request.job, (items = []));
    for (const item of request.items) items.push(item);
    return;
  }
  if (request.kind === 'add-columns') {
    let pages = columnPages.get(request.job);
    if (!pages) columnPages.set(request.job, (pages = []));
    pages.push(request.columns);
    return;
  }
  if (request.kind === 'drop') {
    inputs.delete(request.job);
    columnPages.delete(request.job);
    return;
  }
  const items = inputs.get(request.job) ?? [];
  inputs.delete(request.job);
  const pages = columnPages.get(request.job);
  columnPages.delete(request.job);
  let reply: ModelJobReply;
  try {
    const result =
      request.kind === 'model'
        ? pages
          ? buildInsightsModelOf(populationOfColumns(pages), request.settings)
          : buildInsightsModel(items as PopulationFacts[], request.settings)
        : fitBgNbd({ unit: request.unit, summaries: items as BgNbdSummary[] });
    reply = { kind: 'done', job: request.job, result, threadId };
  } catch (error) {
    reply = { kind: 'failed', job: request.job, message: (error as Error).message };
  }
  port.postMessage(reply);
});
