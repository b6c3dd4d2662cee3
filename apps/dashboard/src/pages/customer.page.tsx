import { useState } from 'preact/hooks';
import type { CustomerView, TimelinePage } from '../api.types';
import { Pager } from '../components/pager';
import { Empty, Status } from '../components/status-message';
import {
  formatCount,
  formatInstant,
  formatMoney,
  formatShare,
  reasonInWords,
  SEGMENT_NAMES,
} from '../format';
import { describeTouchpoint } from '../timeline-text';
import { useApi } from '../use-api';
import { useCursorStack } from '../use-cursor-stack';

const TIMELINE_PAGE = 50;

/** One customer's story: who they are to the business, and what happened, newest first. */
export function CustomerPage({
  customerId,
  search,
}: {
  customerId: string | null;
  search: (id: string) => void;
}) {
  const [typed, setTyped] = useState(customerId ?? '');
  return (
    <>
      <h1>Customer</h1>
      <form
        class="filters"
        role="search"
        onSubmit={(event) => {
          event.preventDefault();
          if (typed.trim()) search(typed.trim());
        }}
      >
        <label>
          Customer id{' '}
          <input
            name="customerId"
            value={typed}
            onInput={(e) => setTyped(e.currentTarget.value)}
            placeholder="C-000001"
            autocomplete="off"
          />
        </label>
        <button type="submit">Show</button>
      </form>
      {customerId ? (
        <Profile customerId={customerId} key={customerId} />
      ) : (
        <Empty>Enter a customer id to see their profile and timeline.</Empty>
      )}
    </>
  );
}

function Profile({ customerId }: { customerId: string }) {
  const id = encodeURIComponent(customerId);
  const view = useApi<CustomerView>(`/v1/customers/${id}`);
  return (
    <Status loaded={view} what={`customer ${customerId}`}>
      {(customer) => (
        <>
          <ProfileFigures customer={customer} />
          <Timeline customerId={customerId} />
        </>
      )}
    </Status>
  );
}

function ProfileFigures({ customer }: { customer: CustomerView }) {
  const insights = customer.insights;
  return (
    <section aria-labelledby="profile-title">
      <h2 id="profile-title" data-testid="profile-id">
        {customer.customerId}
      </h2>
      <dl class="figures">
        <div>
          <dt>Value tier</dt>
          <dd data-testid="profile-tier">{insights?.valueTier ?? 'none (no revenue)'}</dd>
        </div>
        <div>
          <dt>Segment</dt>
          <dd data-testid="profile-segment">
            {insights ? (SEGMENT_NAMES[insights.segment.segment] ?? insights.segment.segment) : '—'}
          </dd>
        </div>
        <div>
          <dt>Churn risk</dt>
          <dd data-testid="profile-risk">
            {insights ? `${insights.churn.score} (${insights.churn.band})` : '—'}
          </dd>
        </div>
        <div>
          <dt>Value at risk</dt>
          <dd>
            {insights
              ? formatMoney(insights.churn.valueAtRiskMinor, insights.trailingRevenue.currency)
              : '—'}
          </dd>
        </div>
        <div>
          <dt>Revenue, trailing {insights?.trailingRevenue.windowMonths ?? 12} months</dt>
          <dd data-testid="profile-trailing">
            {insights
              ? formatMoney(insights.trailingRevenue.minor, insights.trailingRevenue.currency)
              : '—'}
          </dd>
        </div>
        <div>
          <dt>Net revenue, all time</dt>
          <dd data-testid="profile-net">
            {Object.entries(customer.netRevenue)
              .map(([currency, minor]) => formatMoney(minor, currency))
              .join(', ') || 'none'}
          </dd>
        </div>
        <div>
          <dt>Orders</dt>
          <dd data-testid="profile-orders">
            {formatCount(customer.orderCount)} ({formatCount(customer.cancellationCount)} cancelled)
          </dd>
        </div>
        <div>
          <dt>Touchpoints</dt>
          <dd data-testid="profile-touchpoints">{formatCount(customer.touchpointCount)}</dd>
        </div>
        <div>
          <dt>Complaints</dt>
          <dd>
            {customer.complaintsRaised} raised, {customer.complaintsResolved} resolved
          </dd>
        </div>
        <div>
          <dt>First seen · last seen</dt>
          <dd>
            {formatInstant(customer.firstSeenAt)} · {formatInstant(customer.lastSeenAt)}
          </dd>
        </div>
        <div>
          <dt>Probability still a customer</dt>
          <dd>
            {insights?.probabilityAlive == null ? '—' : formatShare(insights.probabilityAlive)}
          </dd>
        </div>
        <div>
          <dt>Channels</dt>
          <dd>
            {Object.entries(customer.countsByChannel)
              .map(([channel, count]) => `${channel} ${count}`)
              .join(', ')}
          </dd>
        </div>
      </dl>
      <h3>Why this risk</h3>
      {insights && insights.churn.reasons.length ? (
        <ul class="reasons" data-testid="profile-reasons">
          {insights.churn.reasons.map((reason) => (
            <li key={reason.code}>
              <strong>{reasonInWords(reason.code)}.</strong> {reason.explanation}
            </li>
          ))}
        </ul>
      ) : (
        <Empty>No churn signal for this customer.</Empty>
      )}
    </section>
  );
}

function Timeline({ customerId }: { customerId: string }) {
  const pages = useCursorStack();
  const cursor = pages.cursor;
  const path =
    `/v1/customers/${encodeURIComponent(customerId)}/timeline?limit=${TIMELINE_PAGE}` +
    (cursor ? `&cursor=${encodeURIComponent(cursor)}` : '');
  const page = useApi<TimelinePage>(path);
  return (
    <section aria-labelledby="timeline-title">
      <h2 id="timeline-title">Timeline across channels</h2>
      <Status loaded={page} what="the timeline">
        {(data) =>
          data.items.length === 0 ? (
            <Empty>No touchpoints.</Empty>
          ) : (
            <>
              <ol class="timeline" data-testid="timeline">
                {data.items.map((item) => (
                  <li key={item.position}>
                    <time dateTime={item.occurredAt}>{formatInstant(item.occurredAt)}</time>{' '}
                    <span class={`channel channel-${item.channel}`}>{item.channel}</span>{' '}
                    {describeTouchpoint(item)} <span class="note">from {item.source}</span>
                  </li>
                ))}
              </ol>
              <Pager
                pages={pages}
                nextCursor={data.nextCursor}
                label="Timeline pages"
                previousLabel="Newer"
                nextLabel="Older"
              />
            </>
          )
        }
      </Status>
    </section>
  );
}
