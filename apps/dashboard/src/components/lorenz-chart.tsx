import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { TierSummary } from '../api.types';
import { formatShare } from '../format';

/**
 * The Lorenz curve of trailing revenue (customers from the smallest to the largest along x,
 * their cumulative revenue share along y) against the line of perfect equality. uPlot draws on
 * a canvas and styles through the CSSOM only, which the strict CSP allows.
 */
export function LorenzChart({ tiers }: { tiers: TierSummary }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = host.current;
    if (!element) return;
    const xs = tiers.lorenzCurve.map((p) => p.customerShare * 100);
    const ys = tiers.lorenzCurve.map((p) => p.revenueShare * 100);
    const plot = new uPlot(
      {
        width: Math.max(280, Math.min(560, element.clientWidth || 560)),
        height: 320,
        scales: { x: { time: false, range: [0, 100] }, y: { range: [0, 100] } },
        axes: [
          { label: 'customers, smallest first (%)', stroke: '#333' },
          { label: 'cumulative revenue (%)', stroke: '#333' },
        ],
        series: [
          { label: 'customers' },
          { label: 'Lorenz curve', stroke: '#1f5fa8', width: 2, fill: 'rgba(31,95,168,0.12)' },
          { label: 'equality', stroke: '#8a8a8a', width: 1, dash: [6, 4] },
        ],
        legend: { show: true },
        cursor: { show: true },
      },
      [xs, ys, xs],
      element,
    );
    return () => plot.destroy();
  }, [tiers]);
  return (
    <figure class="chart">
      <div
        ref={host}
        role="img"
        aria-label={`Lorenz curve of revenue; Gini coefficient ${tiers.gini.toFixed(3)}`}
      />
      <figcaption>
        Gini coefficient <strong data-testid="gini">{tiers.gini.toFixed(3)}</strong>: tier A is{' '}
        {formatShare(tiers.tierACustomerShare)} of the customers with revenue.
      </figcaption>
    </figure>
  );
}
