import { useEffect } from 'preact/hooks';
import type { Retention, SegmentSummary, TierSummary } from '../api.types';
import { CohortHeatmap } from '../components/cohort-heatmap';
import { LorenzChart } from '../components/lorenz-chart';
import { Empty, Status } from '../components/status-message';
import { formatCount, formatMoney, formatShare, SEGMENT_NAMES } from '../format';
import { useApi } from '../use-api';

const TIERS = ['A', 'B', 'C', 'none'] as const;

/** How concentrated revenue is, who is in which lifecycle segment, how cohorts retain. */
export function OverviewPage() {
  const tiers = useApi<TierSummary>('/v1/tiers');
  const segments = useApi<SegmentSummary>('/v1/segments');
  const retention = useApi<Retention>('/v1/retention');
  const ready = [tiers, segments, retention].every((loaded) => loaded.state !== 'loading');
  useEffect(() => {
    // The bench and the browser tests read this mark: the overview is drawn and usable.
    if (ready) performance.mark('rapport:overview-interactive');
  }, [ready]);
  return (
    <>
      <h1>Overview</h1>
      <Status loaded={tiers} what="the value tiers">
        {(t) => <TierSection tiers={t} />}
      </Status>
      <section aria-labelledby="segments-title">
        <h2 id="segments-title">Lifecycle segments</h2>
        <Status loaded={segments} what="the lifecycle segments">
          {(s) => <SegmentTable summary={s} />}
        </Status>
      </section>
      <section aria-labelledby="cohorts-title">
        <h2 id="cohorts-title">Retention cohorts</h2>
        <Status loaded={retention} what="the retention cohorts">
          {(r) => (
            <>
              <p>
                Repeat purchase rate{' '}
                <strong data-testid="repeat-rate">{formatShare(r.repeatPurchaseRate)}</strong> (
                {formatCount(r.repeatBuyers)} of {formatCount(r.buyers)} buyers); cancellation rate{' '}
                {formatShare(r.cancellationRate)}.
              </p>
              <CohortHeatmap retention={r} />
            </>
          )}
        </Status>
      </section>
    </>
  );
}

function TierSection({ tiers }: { tiers: TierSummary }) {
  return (
    <>
      <dl class="figures">
        <div>
          <dt>Customers</dt>
          <dd data-testid="customers" data-value={tiers.customers}>
            {formatCount(tiers.customers)}
          </dd>
        </div>
        <div>
          <dt>Revenue, trailing {tiers.windowMonths} months</dt>
          <dd data-testid="revenue" data-value={tiers.totalRevenueMinor}>
            {formatMoney(tiers.totalRevenueMinor, tiers.currency)}
          </dd>
        </div>
        <div>
          <dt>Customers with revenue</dt>
          <dd data-testid="customers-with-revenue">{formatCount(tiers.customersWithRevenue)}</dd>
        </div>
        <div>
          <dt>Figures as of</dt>
          <dd>{tiers.asOf.slice(0, 16).replace('T', ' ')} UTC</dd>
        </div>
      </dl>
      <section aria-labelledby="tiers-title">
        <h2 id="tiers-title">Value tiers</h2>
        {tiers.customers === 0 ? (
          <Empty>No customers yet: record touchpoints and the tiers appear here.</Empty>
        ) : (
          <div class="two-columns">
            <table data-testid="tier-table">
              <caption>
                Pareto tiers: A reaches 80% of revenue, B the next 15%, C the rest with revenue
              </caption>
              <thead>
                <tr>
                  <th scope="col">tier</th>
                  <th scope="col">customers</th>
                  <th scope="col">revenue</th>
                  <th scope="col">revenue share</th>
                </tr>
              </thead>
              <tbody>
                {TIERS.map((tier) => {
                  const figures = tiers.tiers[tier];
                  return (
                    <tr key={tier} data-tier={tier}>
                      <th scope="row">{tier === 'none' ? 'no revenue' : tier}</th>
                      <td class="num" data-field="count">
                        {formatCount(figures.count)}
                      </td>
                      <td class="num" data-field="revenue">
                        {formatMoney(figures.revenueMinor, tiers.currency)}
                      </td>
                      <td class="num" data-field="share">
                        {formatShare(figures.revenueShare)}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
            <LorenzChart tiers={tiers} />
          </div>
        )}
      </section>
    </>
  );
}

function SegmentTable({ summary }: { summary: SegmentSummary }) {
  const names = Object.keys(summary.segments);
  if (!names.length) return <Empty>No customers in any segment yet.</Empty>;
  return (
    <table data-testid="segment-table">
      <caption>Customers by lifecycle segment, with the value at risk in each</caption>
      <thead>
        <tr>
          <th scope="col">segment</th>
          <th scope="col">customers</th>
          <th scope="col">share</th>
          <th scope="col">revenue</th>
          <th scope="col">value at risk</th>
          <th scope="col">high risk</th>
        </tr>
      </thead>
      <tbody>
        {names.map((name) => {
          const s = summary.segments[name];
          return (
            <tr key={name} data-segment={name}>
              <th scope="row">{SEGMENT_NAMES[name] ?? name}</th>
              <td class="num" data-field="count">
                {formatCount(s.count)}
              </td>
              <td class="num">{formatShare(s.customerShare)}</td>
              <td class="num">{formatMoney(s.revenueMinor, summary.currency)}</td>
              <td class="num">{formatMoney(s.valueAtRiskMinor, summary.currency)}</td>
              <td class="num">{formatCount(s.highRisk)}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
