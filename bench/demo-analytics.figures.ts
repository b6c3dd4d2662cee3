/**
 * The figures issue 28 was found with, on the demo history (`npm run demo`'s defaults: 20,000
 * customers, 24 months, seed 1) without the HTTP layer: customers folded through the decider
 * and the customer-view projection into the in-memory read store, insights computed by the
 * engine the platform uses, as of the history's end and as of a past date.
 *   node -r ts-node/register/transpile-only -r tsconfig-paths/register \
 *     bench/demo-analytics.figures.ts [--customers 20000 --end 2026-12-06T00:00:00.000Z \
 *     --past 2026-06-30T23:59:59.999Z]
 */
import {
  decideInTurn,
  initialCustomerState,
  recordTouchpoint,
  type CustomerEvent,
  type Touchpoint,
} from '@rapport/domain';
import { generateDemoHistory } from '@rapport/demo-data';
import { InsightsEngine } from '@rapport/insights';
import { customerViewProjection, foldProjection, type CustomerView } from '@rapport/projections';
import { MemoryReadStore } from '@rapport/read-store';
import { argument } from './bench-support';

const CUSTOMERS = Number(argument('--customers') ?? 20_000);
const END = argument('--end') ?? '2026-12-06T00:00:00.000Z';
const PAST = argument('--past') ?? '2026-06-30T23:59:59.999Z';
const DAY = 86_400_000;

async function loadViews(store: MemoryReadStore): Promise<CustomerView[]> {
  const views: CustomerView[] = [];
  let touchpoints: Touchpoint[] = [];
  const flush = async () => {
    if (touchpoints.length === 0) return;
    const customerId = touchpoints[0].customerId;
    const commands = touchpoints.map((t) => recordTouchpoint(t, END, 'figures'));
    const { decisions } = decideInTurn(commands, initialCustomerState());
    const events: CustomerEvent[] = decisions.flatMap((d) => (d.ok ? d.events : []));
    const view = foldProjection(customerViewProjection, customerId, events);
    views.push(view);
    await store.putMany(customerViewProjection.name, [
      { key: customerId, position: BigInt(views.length), value: view },
    ]);
    touchpoints = [];
  };
  for (const touchpoint of generateDemoHistory({
    customers: CUSTOMERS,
    months: 24,
    seed: 1,
    endAt: END,
  })) {
    if (touchpoints.length && touchpoints[0].customerId !== touchpoint.customerId) await flush();
    touchpoints.push(touchpoint);
  }
  await flush();
  return views;
}

function share(count: number, of: number): string {
  return `${count.toLocaleString('en')} of ${of.toLocaleString('en')} (${((100 * count) / of).toFixed(1)} %)`;
}

async function main(): Promise<void> {
  const store = new MemoryReadStore({ coldAfterMs: 60_000 });
  const views = await loadViews(store);
  const engine = new InsightsEngine(store, {
    currency: 'EUR',
    windowMonths: 12,
    unit: 'weeks',
    horizonDays: 90,
    minCustomersForFit: 50,
  });
  const now = await engine.compute(END);
  const rows = now.rows;
  const say = (text: string) => process.stdout.write(`${text}\n`);
  say(`demo: ${views.length} customers, as of ${END}`);

  const lastSeen = new Map<string, number>();
  for (const row of rows)
    lastSeen.set(String(row.lastSeenAt), (lastSeen.get(String(row.lastSeenAt)) ?? 0) + 1);
  const [commonest, commonestCount] = [...lastSeen.entries()].sort((x, y) => y[1] - x[1])[0];
  say(
    `lastSeenAt: ${lastSeen.size} distinct values; the commonest, ${commonest}, on ${share(commonestCount, rows.length)}`,
  );
  const contacted = new Map<string, number>();
  for (const view of views) {
    const at = String((view as { lastContactedAt?: string | null }).lastContactedAt);
    contacted.set(at, (contacted.get(at) ?? 0) + 1);
  }
  const [commonContact, commonContactCount] = [...contacted.entries()].sort(
    (x, y) => y[1] - x[1],
  )[0];
  say(
    `lastContactedAt: the commonest, ${commonContact}, on ${share(commonContactCount, views.length)}`,
  );
  say(`never seen (lastSeenAt null): ${rows.filter((r) => r.lastSeenAt === null).length}`);
  const recent = (at: string | null) => at !== null && Date.parse(END) - Date.parse(at) <= 30 * DAY;
  const dormant = rows.filter((r) => r.segment === 'dormant');
  say(
    `dormant customers seen in the last 30 days: ${share(dormant.filter((r) => recent(r.lastSeenAt)).length, dormant.length)}`,
  );
  say(
    `all customers seen in the last 30 days: ${share(rows.filter((r) => recent(r.lastSeenAt)).length, rows.length)}`,
  );

  const negative = rows.filter((r) => r.revenueMinor < 0);
  const noneTotal = rows
    .filter((r) => r.valueTier === 'none')
    .reduce((sum, r) => sum + r.revenueMinor, 0);
  say(
    `negative trailing revenue: ${negative.length} customers; tier none totals ${noneTotal} minor units`,
  );

  const overdue = rows.filter((r) => r.reasonCodes.includes('PURCHASE_OVERDUE'));
  say(`PURCHASE_OVERDUE fires on ${share(overdue.length, rows.length)}`);
  const buyers = rows.filter((r) => r.segment !== 'potential' || r.revenueMinor > 0);
  say(
    `  (customers with a purchase in the window or a segment other than potential: ${buyers.length})`,
  );
  const withRhythm = views.filter((v) => v.purchaseGaps.count >= 2).length;
  say(
    `  customers with 2 gaps or more of their own: ${withRhythm}; of them overdue: ${share(overdue.length, withRhythm)}`,
  );
  const bySegment = new Map<string, number>();
  for (const row of overdue) bySegment.set(row.segment, (bySegment.get(row.segment) ?? 0) + 1);
  say(`  by segment: ${[...bySegment.entries()].map(([s, n]) => `${s} ${n}`).join(', ')}`);

  const cohorts = now.cohorts.cohorts;
  for (const row of cohorts.slice(-3))
    say(
      `cohort ${row.cohort}: size ${row.size}, rates ${row.retentionRates
        .slice(0, 3)
        .map((r) => r.toFixed(3))
        .join(
          ' ',
        )} ${JSON.stringify({ ...row, retainedCustomers: undefined, retentionRates: undefined, cohort: undefined, size: undefined })}`,
    );

  const past = await engine.compute(PAST);
  const firstSeenLater = views.filter((v) => v.firstSeenAt > PAST).length;
  say(
    `as of ${PAST}: ${past.customers} customers counted (${firstSeenLater} first seen later), ` +
      `tier none ${past.tiers.tiers.none.count}`,
  );
  await engine.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`${String((error as Error).stack ?? error)}\n`);
  process.exitCode = 1;
});
