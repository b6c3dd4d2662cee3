import type { Retention } from '../api.types';
import { formatShare, heatLevel } from '../format';
import { Empty } from './status-message';

/**
 * Monthly purchase cohorts as a table, one row per first-purchase month, one column per month
 * since. Colours come from six CSS classes (no inline style), and every cell keeps its number,
 * so the table reads without colour too.
 */
export function CohortHeatmap({ retention }: { retention: Retention }) {
  const rows = retention.cohorts.cohorts;
  if (!rows.length) return <Empty>No complete cohort month yet.</Empty>;
  const width = Math.max(...rows.map((row) => row.retentionRates.length));
  return (
    <div class="scroll" tabIndex={0} role="region" aria-label="Retention cohorts">
      <table class="heatmap" data-testid="cohorts">
        <caption>
          Share of each cohort buying again, by months since their first purchase
          {retention.cohorts.partialMonth
            ? ` (the running month ${retention.cohorts.partialMonth} is left out)`
            : ''}
        </caption>
        <thead>
          <tr>
            <th scope="col">cohort</th>
            <th scope="col">size</th>
            {Array.from({ length: width }, (_, month) => (
              <th scope="col" key={month}>
                +{month}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.cohort}>
              <th scope="row">{row.cohort}</th>
              <td class="num">{row.size}</td>
              {Array.from({ length: width }, (_, month) => {
                const rate = row.retentionRates[month];
                return rate === undefined ? (
                  <td key={month} class="heat-none" />
                ) : (
                  <td
                    key={month}
                    class={`num heat-${heatLevel(rate)}`}
                    title={`${row.retainedCustomers[month]} of ${row.size}`}
                  >
                    {formatShare(rate)}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
