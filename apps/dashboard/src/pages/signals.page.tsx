import { useState } from 'preact/hooks';
import { describeError, getCsv } from '../api.client';
import type { SignalItem, SignalsPage as SignalsPageData } from '../api.types';
import { Empty, Status } from '../components/status-message';
import { formatInstant, formatMoney } from '../format';
import {
  DEFAULT_SIGNALS_FILTER,
  isFiltered,
  SIGNAL_RULE_NAMES,
  signalRuleInWords,
  signalsPath,
  type SignalsFilter,
} from '../signals.query';
import { useApi } from '../use-api';

/**
 * The retention signals taken so far, in the order they were derived. Paging follows the API's
 * cursor (the ledger's sequence), so the list is read a page at a time, never whole.
 */
export function SignalsPage({ openCustomer }: { openCustomer: (id: string) => void }) {
  const [filter, setFilter] = useState<SignalsFilter>(DEFAULT_SIGNALS_FILTER);
  // The customer field is applied on submit, not on each keystroke.
  const [customerDraft, setCustomerDraft] = useState('');
  // The cursors of the pages before this one: "previous" pops, "next" pushes.
  const [cursors, setCursors] = useState<readonly string[]>([]);
  const [download, setDownload] = useState<string | null>(null);
  const cursor = cursors[cursors.length - 1];
  const page = useApi<SignalsPageData>(signalsPath(filter, { cursor }));

  const change = (next: Partial<SignalsFilter>) => {
    setFilter({ ...filter, ...next });
    setCursors([]);
  };
  const downloadCsv = async () => {
    setDownload('Preparing the CSV file…');
    try {
      const blob = await getCsv(signalsPath(filter, { csv: true }));
      const link = document.createElement('a');
      link.href = URL.createObjectURL(blob);
      link.download = `signals${filter.rule ? `-${filter.rule}` : ''}${
        filter.customer.trim() ? `-${filter.customer.trim()}` : ''
      }.csv`;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
      setDownload('CSV file downloaded.');
    } catch (error) {
      setDownload(`The CSV file could not be made: ${describeError(error)}`);
    }
  };

  return (
    <>
      <h1>Retention signals</h1>
      <form
        class="filters"
        onSubmit={(event) => {
          event.preventDefault();
          change({ customer: customerDraft });
        }}
      >
        <label>
          Rule{' '}
          <select
            name="rule"
            value={filter.rule}
            onChange={(e) => change({ rule: e.currentTarget.value as SignalsFilter['rule'] })}
          >
            <option value="">all rules</option>
            {SIGNAL_RULE_NAMES.map((rule) => (
              <option key={rule} value={rule}>
                {signalRuleInWords(rule)}
              </option>
            ))}
          </select>
        </label>
        <label>
          Customer{' '}
          <input
            name="customer"
            value={customerDraft}
            placeholder="every customer"
            onInput={(e) => setCustomerDraft(e.currentTarget.value)}
          />
        </label>
        <button type="submit">Apply</button>
        <button type="button" onClick={() => void downloadCsv()}>
          Download CSV of this filter
        </button>
        {download && (
          <span role="status" class="note">
            {download}
          </span>
        )}
      </form>
      <Status loaded={page} what="the signals">
        {(data) => (
          <>
            {data.items.length === 0 ? (
              <Empty>
                {isFiltered(filter) || cursors.length
                  ? 'No signal matches this filter.'
                  : 'No signals yet: they are derived as events arrive.'}
              </Empty>
            ) : (
              <SignalsTable items={data.items} openCustomer={openCustomer} />
            )}
            <nav class="pager" aria-label="Pages">
              <button
                type="button"
                disabled={cursors.length === 0}
                onClick={() => setCursors(cursors.slice(0, -1))}
              >
                Previous page
              </button>
              <span data-testid="page-number">Page {cursors.length + 1}</span>
              <button
                type="button"
                disabled={!data.nextCursor}
                onClick={() => data.nextCursor && setCursors([...cursors, data.nextCursor])}
              >
                Next page
              </button>
            </nav>
          </>
        )}
      </Status>
    </>
  );
}

function SignalsTable(props: { items: readonly SignalItem[]; openCustomer: (id: string) => void }) {
  const { items, openCustomer } = props;
  return (
    <table class="signals" data-testid="signals-table">
      <caption>Signals in the order they were derived</caption>
      <thead>
        <tr>
          <th scope="col">customer</th>
          <th scope="col">rule</th>
          <th scope="col">reason</th>
          <th scope="col">value at stake</th>
          <th scope="col">due</th>
          <th scope="col">expires</th>
          <th scope="col">status (published to Kafka or pending)</th>
        </tr>
      </thead>
      <tbody>
        {items.map((signal) => (
          <tr key={signal.id} data-signal={signal.id}>
            <th scope="row">
              {signal.subject.kind === 'customer' ? (
                <a
                  href={`#/customer/${encodeURIComponent(signal.subject.id)}`}
                  onClick={(event) => {
                    event.preventDefault();
                    openCustomer(signal.subject.id);
                  }}
                >
                  {signal.subject.id}
                </a>
              ) : (
                signal.subject.id
              )}
            </th>
            <td data-field="rule">{signalRuleInWords(signal.rule)}</td>
            <td>
              <span data-field="reason">{signal.reason}</span>
              <span class="note suggestion">{signal.suggestedAction}</span>
            </td>
            <td class="num" data-field="valueAtStake" data-value={signal.valueAtStake?.minor ?? ''}>
              {signal.valueAtStake
                ? formatMoney(signal.valueAtStake.minor, signal.valueAtStake.currency)
                : '—'}
            </td>
            <td class="when" data-field="due">
              {formatInstant(signal.dueAt)}
            </td>
            <td class="when" data-field="expires">
              {formatInstant(signal.expiresAt)}
            </td>
            <td data-field="status" class={`signal-${signal.status}`}>
              {signal.status}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
