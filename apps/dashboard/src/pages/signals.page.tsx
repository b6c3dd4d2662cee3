import { useState } from 'preact/hooks';
import type { SignalItem, SignalsPage as SignalsPageData } from '../api.types';
import { CsvDownload } from '../components/csv-download';
import { Pager } from '../components/pager';
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
import { useCursorStack } from '../use-cursor-stack';

/**
 * The retention signals taken so far, in the order they were derived. Paging follows the API's
 * cursor (the ledger's sequence), so the list is read a page at a time, never whole. The ledger
 * does not count the signals of a filter, so the pager says which page, not of how many.
 */
export function SignalsPage({ openCustomer }: { openCustomer: (id: string) => void }) {
  const [filter, setFilter] = useState<SignalsFilter>(DEFAULT_SIGNALS_FILTER);
  // The customer field is applied on submit, not on each keystroke.
  const [customerDraft, setCustomerDraft] = useState('');
  const pages = useCursorStack();
  const page = useApi<SignalsPageData>(signalsPath(filter, { cursor: pages.cursor }));

  const change = (next: Partial<SignalsFilter>) => {
    setFilter({ ...filter, ...next });
    pages.reset();
  };
  const customer = filter.customer.trim();

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
        <CsvDownload
          path={signalsPath(filter, { csv: true })}
          fileName={`signals${filter.rule ? `-${filter.rule}` : ''}${customer ? `-${customer}` : ''}.csv`}
        />
      </form>
      <Status loaded={page} what="the signals">
        {(data) => (
          <>
            {data.items.length === 0 ? (
              <Empty>
                {isFiltered(filter) || pages.pageNumber > 1
                  ? 'No signal matches this filter.'
                  : 'No signals yet: they are derived as events arrive.'}
              </Empty>
            ) : (
              <SignalsTable items={data.items} openCustomer={openCustomer} />
            )}
            <Pager pages={pages} nextCursor={data.nextCursor} />
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
