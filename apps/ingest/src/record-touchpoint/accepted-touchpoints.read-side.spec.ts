import assert from 'node:assert/strict';
import type { CommandBus } from '@nestjs/cqrs';
import fc from 'fast-check';
import { fitBgNbd, summarizeBgNbd, type BgNbdSummary } from '@rapport/analytics';
import type { RapportConfig } from '@rapport/config';
import { decodeTouchpoint } from '@rapport/contract';
import { touchpointSequence, type RawTouchpoint } from '@rapport/contract/testing';
import {
  decide,
  DomainError,
  evolve,
  initialCustomerState,
  namesCustomer,
  recordTouchpoint,
  type CustomerEvent,
  type CustomerState,
  type MoneyByCurrency,
  upcastCustomerEvent,
} from '@rapport/domain';
import { SqliteEventStore, type RecordedEvent } from '@rapport/event-store';
import { ProblemDetailsException } from '@rapport/http';
import { InsightsEngine } from '@rapport/insights';
import type { InboundMessage } from '@rapport/messaging';
import { PROJECTIONS } from '@rapport/projector';
import { customerViewProjection, type CustomerView } from '@rapport/projections';
import {
  buildInsightsModel,
  customerFactsOf,
  deriveCustomerInsights,
  insightsRowOf,
  populationFactsOf,
  purchasesUpTo,
  type InsightsOptions,
} from '@rapport/insights';
import { MemoryReadStore } from '@rapport/read-store';
import { CustomerStateCache, IdentityResolver } from '@rapport/recording';
import { RecordTouchpointsCommand } from '@rapport/recording';
import { RecordTouchpointsHandler } from '@rapport/recording';
import { TouchpointRecorder } from '@rapport/recording';
import { TouchpointsHttpController } from './touchpoints.http.controller';
import { TouchpointsKafkaBatchHandler } from './touchpoints.kafka.batch-handler';

/**
 * The edge accepts only what the read side can apply: whatever touchpoints the contract's own
 * rules generate (valid ones and near-misses), every one the edge decoder accepts goes through
 * decide → evolve → every projection → insights without a throw, and every revenue figure
 * stays an exact integer.
 */
const now = new Date('2026-11-27T12:00:00.000Z');
const arbitraryOptions = { now, customers: ['C-1', 'C-2', 'C-3', 'C-4'] };
const ingestedAt = now.toISOString();
const insightsOptions = (asOf: string): InsightsOptions => ({
  asOf,
  currency: 'EUR',
  windowMonths: 12,
  unit: 'weeks',
  horizonDays: 90,
  minCustomersForFit: 2,
});
const AS_OF = [now.toISOString(), '2025-06-01T00:00:00.000Z'];
// Each run fits BG/NBD twice; a longer search: READ_SIDE_PROPERTY_RUNS=2000.
const RUNS = Number(process.env.READ_SIDE_PROPERTY_RUNS ?? 300);

interface Ingested {
  readonly events: Map<string, CustomerEvent[]>;
  readonly decoded: number;
  readonly refused: number;
}

/** What ingest does, in memory: decode, decide against the customer's state, store as JSON. */
function ingest(raws: readonly RawTouchpoint[]): Ingested {
  const states = new Map<string, CustomerState>();
  const events = new Map<string, CustomerEvent[]>();
  let decoded = 0;
  let refused = 0;
  for (const generated of raws) {
    // What arrives is parsed JSON: a hole in an array arrives as null.
    const raw = JSON.parse(JSON.stringify(generated)) as unknown;
    const result = decodeTouchpoint(raw, { now });
    if (!result.ok || !namesCustomer(result.touchpoint)) continue;
    decoded++;
    const { customerId } = result.touchpoint;
    let state = states.get(customerId) ?? initialCustomerState();
    let decided: CustomerEvent[];
    try {
      decided = decide(recordTouchpoint(result.touchpoint, ingestedAt, 'corr-1'), state);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      refused++;
      continue;
    }
    // The event store keeps JSON: the read side sees what survives a round trip.
    const stored = decided.map((event) => JSON.parse(JSON.stringify(event)) as CustomerEvent);
    for (const event of stored) state = evolve(state, event);
    states.set(customerId, state);
    events.set(customerId, [...(events.get(customerId) ?? []), ...stored]);
  }
  return { events, decoded, refused };
}

/** Every projection, event by event through JSON (as the read store keeps it), and batched. */
function project(events: Map<string, CustomerEvent[]>): CustomerView[] {
  const views: CustomerView[] = [];
  for (const [customerId, history] of events) {
    for (const projection of PROJECTIONS) {
      let state = projection.initialState(customerId);
      for (const event of history)
        if (projection.canHandle(event))
          state = JSON.parse(JSON.stringify(projection.evolve(state, event))) as unknown;
      assert.deepEqual(
        state,
        JSON.parse(
          JSON.stringify(
            projection.evolveAll?.(projection.initialState(customerId), history) ?? state,
          ),
        ),
      );
      if (projection.name === customerViewProjection.name) views.push(state as CustomerView);
    }
  }
  return views;
}

function expectExactTotals(what: string, totals: MoneyByCurrency): void {
  for (const [currency, minor] of Object.entries(totals))
    assert.ok(Number.isSafeInteger(minor), `${what} in ${currency} is not exact: ${minor}`);
}

/** The population's insights and each customer's, as of each instant; the BG/NBD fit too. */
function deriveInsights(views: readonly CustomerView[]): void {
  for (const view of views) {
    expectExactTotals('gross revenue', view.grossRevenue);
    expectExactTotals('net revenue', view.netRevenue);
    expectExactTotals('average order value', view.averageOrderValue);
    for (const minor of Object.values(view.netRevenue)) assert.ok(minor >= 0, 'negative net');
    for (const order of view.orders)
      assert.ok(order.cancelledMinor <= order.amount.minor, `${order.orderId} over-cancelled`);
  }
  for (const [n, asOf] of AS_OF.entries()) {
    const options = insightsOptions(asOf);
    const facts = views.map((view) => customerFactsOf(view, options));
    const { model } = buildInsightsModel(facts.map(populationFactsOf), options);
    for (const customer of facts) {
      const row = insightsRowOf(customer, model);
      assert.ok(Number.isSafeInteger(row.revenueMinor), `revenue ${row.revenueMinor}`);
      assert.ok(Number.isFinite(row.riskScore), `risk score ${row.riskScore}`);
    }
    for (const view of views) deriveCustomerInsights(view, model, asOf);
    // What POST /v1/model/fit does, which (unlike the snapshot) lets a failed fit through.
    const summaries = views
      .map((view) => summarizeBgNbd(purchasesUpTo(view, asOf), { asOf, unit: 'weeks' }))
      .filter((summary): summary is BgNbdSummary => summary !== null);
    if (n === 0 && summaries.some((s) => s.x > 0)) fitBgNbd({ unit: 'weeks', summaries });
  }
}

describe('whatever the edge accepts, the read side can apply', () => {
  it(`drives ${RUNS} generated sequences of touchpoints through decide, evolve, every projection and insights`, () => {
    let decoded = 0;
    let refused = 0;
    let touchpoints = 0;
    fc.assert(
      fc.property(touchpointSequence(arbitraryOptions, { maxLength: 12 }), (raws) => {
        const ingested = ingest(raws);
        touchpoints += raws.length;
        decoded += ingested.decoded;
        refused += ingested.refused;
        deriveInsights(project(ingested.events));
      }),
      { numRuns: RUNS },
    );
    // The generators reach both sides of the edge and of the decider.
    expect(decoded).toBeGreaterThan(touchpoints / 2);
    expect(decoded).toBeLessThan(touchpoints);
    expect(refused).toBeGreaterThan(0);
  }, 120_000);

  it('refuses the two purchases that used to break one customer and the population', () => {
    const purchase = (touchpointId: string, orderId: string, minor: number) => ({
      touchpointId,
      source: 'pos',
      customerId: 'C-1',
      type: 'purchase',
      occurredAt: '2026-11-20T14:03:00Z',
      channel: 'store',
      data: { orderId, amount: { minor, currency: 'EUR' } },
    });
    const ingested = ingest([
      purchase('a', 'O-1', Number.MAX_SAFE_INTEGER),
      purchase('b', 'O-2', 1_000_000_000_000_000),
      { ...purchase('c', 'O-RT1', 0), data: { orderId: 'O-RT1' } },
    ]);
    expect(ingested).toMatchObject({ decoded: 2, refused: 1 });
    expect(ingested.events.get('C-1')).toHaveLength(1);
    deriveInsights(project(ingested.events));
  });
});

describe('HTTP and Kafka decide alike', () => {
  const config = { ingest: { maxBatch: 1_000 } } as RapportConfig;

  /** Each touchpoint on its own, as a single-object request and as a one-message batch. */
  async function throughBothEntrances(raws: readonly RawTouchpoint[]) {
    const httpStore = new SqliteEventStore({ path: ':memory:' });
    const kafkaStore = new SqliteEventStore({ path: ':memory:' });
    try {
      const records = new RecordTouchpointsHandler(
        new TouchpointRecorder(httpStore, new CustomerStateCache()),
        new IdentityResolver(httpStore),
      );
      const commandBus = {
        execute: (command: RecordTouchpointsCommand) => records.execute(command),
      } as unknown as CommandBus;
      const controller = new TouchpointsHttpController(commandBus, config);
      const kafka = new TouchpointsKafkaBatchHandler(
        new RecordTouchpointsHandler(
          new TouchpointRecorder(kafkaStore, new CustomerStateCache()),
          new IdentityResolver(kafkaStore),
        ),
      );
      const request = { id: 'req-1' } as Parameters<TouchpointsHttpController['record']>[1];
      const reply = { header: () => reply } as unknown as Parameters<
        TouchpointsHttpController['record']
      >[2];
      for (const [n, raw] of raws.entries()) {
        const text = JSON.stringify(raw);
        const overHttp = await controller.record(JSON.parse(text), request, reply).then(
          (response) => {
            const [item] = response.items;
            return item.status === 'rejected' ? `rejected ${item.code}` : item.status;
          },
          (error: unknown) => {
            if (error instanceof ProblemDetailsException) return `refused ${error.getStatus()}`;
            throw error;
          },
        );
        const message: InboundMessage = {
          topic: 'touchpoints',
          partition: 0,
          offset: String(n),
          key: typeof raw.customerId === 'string' ? Buffer.from(raw.customerId) : null,
          value: Buffer.from(text),
          timestamp: String(now.getTime()),
          headers: {},
        };
        const { deadLetters } = await kafka.handle([message]);
        const overKafka =
          deadLetters.length === 0
            ? 'taken'
            : /^(CONTRACT_VIOLATION|UNKNOWN_TOUCHPOINT_TYPE|INVALID_JSON)$/.test(
                  deadLetters[0].code,
                )
              ? 'refused 400'
              : `rejected ${deadLetters[0].code}`;
        expect({ raw, overKafka }).toEqual({
          raw,
          overKafka: overHttp === 'recorded' || overHttp === 'duplicate' ? 'taken' : overHttp,
        });
      }
      const fromKafka = await kafkaStore.readAll();
      const sameness = (events: readonly RecordedEvent[]) =>
        events.map((e) => [e.streamName, e.id, e.type, e.data, e.metadata.source]);
      expect(sameness(fromKafka)).toEqual(sameness(await httpStore.readAll()));
      return fromKafka;
    } finally {
      await httpStore.close();
      await kafkaStore.close();
    }
  }

  it('take, refuse and reject the same touchpoints, store the same events, and insights run on them', async () => {
    await fc.assert(
      fc.asyncProperty(touchpointSequence(arbitraryOptions, { maxLength: 15 }), async (raws) => {
        const events = new Map<string, CustomerEvent[]>();
        for (const stored of await throughBothEntrances(raws)) {
          const event = upcastCustomerEvent(stored)!;
          const customerId = event.data.customerId;
          events.set(customerId, [...(events.get(customerId) ?? []), event]);
        }
        const readStore = new MemoryReadStore();
        await readStore.putMany(
          customerViewProjection.name,
          project(events).map((view, i) => ({
            key: view.customerId,
            position: BigInt(i),
            value: view,
          })),
        );
        const engine = new InsightsEngine(readStore, insightsOptions(now.toISOString()));
        await engine.compute(now.toISOString());
        await engine.fitModel(now.toISOString(), 'weeks');
      }),
      // Two stores, both entrances and a model fit per run: the property above searches wider.
      { numRuns: Math.ceil(RUNS / 6) },
    );
  }, 180_000);
});
