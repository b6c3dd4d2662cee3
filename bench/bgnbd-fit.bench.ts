/**
 * The BG/NBD fit over a large customer base, timed (it was a unit spec; timings belong here).
 *   npm run bench:bgnbd [-- --customers 100000]
 */
import { fitBgNbd, summarizeBgNbd } from '@rapport/analytics';
import { simulateBgNbdCustomers } from '@rapport/analytics/testing';
import { argument, seconds } from './bench-support';

const CUSTOMERS = Number(argument('--customers') ?? 100_000);
const asOf = '2025-01-01T00:00:00Z';

const summaries = simulateBgNbdCustomers({
  params: { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 },
  unit: 'weeks',
  customers: CUSTOMERS,
  seed: 11,
  minAge: 26,
  maxAge: 78,
  asOf,
}).map((c) => summarizeBgNbd(c.purchases, { asOf, unit: 'weeks' })!);
const started = process.hrtime.bigint();
const fit = fitBgNbd({ unit: 'weeks', summaries });
const secs = seconds(started);
console.log(
  `BG/NBD fit of ${fit.customers} customers (${fit.distinctTriples} distinct triples): ` +
    `${(secs * 1000).toFixed(0)} ms, ${fit.iterations} iterations, converged=${fit.converged}`,
  fit.params,
);
if (!fit.converged) process.exitCode = 1;
