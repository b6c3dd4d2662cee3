import type { ModelFit } from '@rapport/insights';

type Printed = Omit<ModelFit, 'holdout'> & Partial<Pick<ModelFit, 'holdout'>> & { saved: boolean };

/** What `rapport model fit` prints: both fits with their log-likelihoods, then the holdout check. */
export function formatModelFit(result: Printed, seconds: number, currency: string): string {
  const lines: string[] = [];
  const fit = result.fit;
  lines.push(
    fit
      ? `BG/NBD as of ${result.asOf} (${fit.unit}): r=${fit.params.r.toFixed(4)} alpha=${fit.params.alpha.toFixed(4)} ` +
          `a=${fit.params.a.toFixed(4)} b=${fit.params.b.toFixed(4)}, log-likelihood ${fit.logLikelihood.toFixed(2)}, ` +
          `${result.customers} customers, ${fit.converged ? 'converged' : 'NOT converged'} after ${fit.iterations} iterations`
      : `no BG/NBD fit as of ${result.asOf}: ${result.note ?? 'not enough customers'} (${result.customers} customers)`,
  );
  const spend = result.spendFit;
  lines.push(
    spend
      ? `Gamma-Gamma spend (${currency} minor units per transaction day): p=${spend.params.p.toFixed(4)} ` +
          `q=${spend.params.q.toFixed(4)} gamma=${spend.params.gamma.toFixed(4)}, log-likelihood ` +
          `${spend.logLikelihood.toFixed(2)}, ${spend.customers} repeat customers, mean spend ` +
          `${spend.meanSpend === null ? 'infinite (q <= 1)' : spend.meanSpend.toFixed(0)}, ` +
          `${spend.converged ? 'converged' : 'NOT converged'}\n` +
          `frequency-spend correlation ${spend.frequencySpendCorrelation.toFixed(3)} ` +
          `(the spend model assumes none; far from 0, expected spends are biased)`
      : `no spend fit: ${result.spendNote ?? 'not fitted'}`,
  );
  const holdout = result.holdout;
  if (holdout) {
    lines.push(
      `calibration up to ${holdout.calibrationEnd}, holdout ${holdout.holdoutFrom} .. ${result.asOf}`,
    );
    if (!holdout.table) lines.push('no holdout check without a BG/NBD fit');
    else {
      lines.push(
        `repeats in calibration   customers   actual holdout   predicted holdout   actual/customer   predicted/customer`,
      );
      for (const row of holdout.table.rows)
        lines.push(
          [
            row.calibrationRepeats.padStart(22),
            String(row.customers).padStart(11),
            String(row.actual).padStart(16),
            row.predicted.toFixed(1).padStart(19),
            row.actualMean.toFixed(3).padStart(17),
            row.predictedMean.toFixed(3).padStart(20),
          ].join(' '),
        );
      const t = holdout.table.total;
      lines.push(
        [
          'total'.padStart(22),
          String(t.customers).padStart(11),
          String(t.actual).padStart(16),
          t.predicted.toFixed(1).padStart(19),
        ].join(' '),
      );
    }
  }
  lines.push(`${seconds.toFixed(1)} s` + (result.saved ? ' (saved as the current insights)' : ''));
  return lines.join('\n') + '\n';
}
