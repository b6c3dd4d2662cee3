import { useState } from 'preact/hooks';
import type { AtRiskItem, AtRiskPage } from '../api.types';
import {
  AT_RISK_PAGE_SIZE,
  atRiskPath,
  DEFAULT_AT_RISK_FILTER,
  type AtRiskFilter,
} from '../at-risk.query';
import { CsvDownload } from '../components/csv-download';
import { Pager } from '../components/pager';
import { Empty, Status } from '../components/status-message';
import { formatCount, formatDate, formatMoney, reasonInWords, SEGMENT_NAMES } from '../format';
import { useApi } from '../use-api';
import { useCursorStack } from '../use-cursor-stack';

const COLUMNS: ReadonlyArray<{ key: AtRiskFilter['sort']; label: string }> = [
  { key: 'valueAtRisk', label: 'value at risk' },
  { key: 'risk', label: 'risk score' },
  { key: 'revenue', label: 'revenue' },
  { key: 'lastSeen', label: 'last seen' },
];

/**
 * Who is slipping away and why. Filter, sort and paging are the API's (keyset cursors over one
 * snapshot), so a list of 100,000 customers is read a page at a time, never whole.
 */
export function AtRiskPage({ openCustomer }: { openCustomer: (id: string) => void }) {
  const [filter, setFilter] = useState<AtRiskFilter>(DEFAULT_AT_RISK_FILTER);
  const pages = useCursorStack();
  const page = useApi<AtRiskPage>(atRiskPath(filter, { cursor: pages.cursor }));

  const change = (next: Partial<AtRiskFilter>) => {
    setFilter({ ...filter, ...next });
    pages.reset();
  };
  const sortBy = (key: AtRiskFilter['sort']) =>
    change({
      sort: key,
      order: filter.sort === key && filter.order === 'desc' ? 'asc' : 'desc',
    });

  return (
    <>
      <h1>Customers at risk</h1>
      <form class="filters" onSubmit={(event) => event.preventDefault()}>
        <label>
          Tier{' '}
          <select
            name="tier"
            value={filter.tier}
            onChange={(e) => change({ tier: e.currentTarget.value as AtRiskFilter['tier'] })}
          >
            <option value="">all tiers</option>
            <option value="A">A</option>
            <option value="B">B</option>
            <option value="C">C</option>
          </select>
        </label>
        <label>
          Risk band{' '}
          <select
            name="minBand"
            value={filter.minBand}
            onChange={(e) => change({ minBand: e.currentTarget.value as AtRiskFilter['minBand'] })}
          >
            <option value="medium">medium and high</option>
            <option value="high">high only</option>
          </select>
        </label>
        <CsvDownload
          path={atRiskPath(filter, { csv: true })}
          fileName={`at-risk-${filter.minBand}${filter.tier ? `-tier-${filter.tier}` : ''}.csv`}
        />
      </form>
      <Status loaded={page} what="the customers at risk">
        {(data) => (
          <>
            <p data-testid="at-risk-summary">
              <strong data-testid="at-risk-total" data-value={data.total}>
                {formatCount(data.total)}
              </strong>{' '}
              customers match, with{' '}
              <strong data-testid="at-risk-value" data-value={data.totalValueAtRiskMinor}>
                {formatMoney(data.totalValueAtRiskMinor, data.currency)}
              </strong>{' '}
              of value at risk.
            </p>
            {data.items.length === 0 ? (
              <Empty>No customer matches this filter.</Empty>
            ) : (
              <AtRiskTable
                items={data.items}
                currency={data.currency}
                filter={filter}
                sortBy={sortBy}
                openCustomer={openCustomer}
              />
            )}
            <Pager
              pages={pages}
              nextCursor={data.nextCursor}
              pageCount={Math.ceil(data.total / AT_RISK_PAGE_SIZE)}
            />
          </>
        )}
      </Status>
    </>
  );
}

function AtRiskTable(props: {
  items: readonly AtRiskItem[];
  currency: string;
  filter: AtRiskFilter;
  sortBy: (key: AtRiskFilter['sort']) => void;
  openCustomer: (id: string) => void;
}) {
  const { items, currency, filter, sortBy, openCustomer } = props;
  const sortHeader = (key: AtRiskFilter['sort'], label: string) => (
    <th
      scope="col"
      aria-sort={
        filter.sort === key ? (filter.order === 'desc' ? 'descending' : 'ascending') : undefined
      }
    >
      <button type="button" class="sort" onClick={() => sortBy(key)}>
        {label}
        {filter.sort === key ? (filter.order === 'desc' ? ' ▼' : ' ▲') : ''}
      </button>
    </th>
  );
  return (
    <table data-testid="at-risk-table">
      <caption>
        Customers at risk, sorted by {COLUMNS.find((c) => c.key === filter.sort)?.label}
      </caption>
      <thead>
        <tr>
          <th scope="col">customer</th>
          <th scope="col">tier</th>
          <th scope="col">segment</th>
          <th scope="col">band</th>
          {COLUMNS.map((column) => sortHeader(column.key, column.label))}
          <th scope="col">reasons</th>
        </tr>
      </thead>
      <tbody>
        {items.map((item) => (
          <tr key={item.customerId} data-customer={item.customerId}>
            <th scope="row">
              <a
                href={`#/customer/${encodeURIComponent(item.customerId)}`}
                onClick={(event) => {
                  event.preventDefault();
                  openCustomer(item.customerId);
                }}
              >
                {item.customerId}
              </a>
            </th>
            <td>{item.valueTier}</td>
            <td>{SEGMENT_NAMES[item.segment] ?? item.segment}</td>
            <td class={`band band-${item.riskBand}`}>{item.riskBand}</td>
            <td class="num" data-field="valueAtRisk" data-value={item.valueAtRiskMinor}>
              {formatMoney(item.valueAtRiskMinor, currency)}
            </td>
            <td class="num" data-field="risk">
              {item.riskScore}
            </td>
            <td class="num" data-field="revenue" data-value={item.revenueMinor}>
              {formatMoney(item.revenueMinor, currency)}
            </td>
            <td>{formatDate(item.lastSeenAt)}</td>
            <td>
              <ul class="reasons">
                {(item.reasons.length
                  ? item.reasons
                  : item.reasonCodes.map((code) => ({ code, explanation: '' }))
                ).map((reason) => (
                  <li key={reason.code} title={reason.explanation}>
                    {reasonInWords(reason.code)}
                  </li>
                ))}
              </ul>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
