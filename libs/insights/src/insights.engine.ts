import { setImmediate as nextTurn } from 'node:timers/promises';
import { Logger } from '@nestjs/common';
import {
  summarizeBgNbd,
  type BgNbdFitResult,
  type BgNbdSummary,
  type BgNbdTimeUnit,
} from '@rapport/analytics';
import { customerViewProjection, staleMarkOf, type CustomerView } from '@rapport/projections';
import {
  customerFactsOrExclusion,
  insightsRowOf,
  knownAsOf,
  populationFactsOf,
  purchasesUpTo,
  type CustomerFacts,
  type CustomerFactsOutcome,
  type DatedView,
  type ExcludedCustomer,
  type InsightsModel,
  type InsightsOptions,
  type InsightsRow,
  type EncodedInsightsRows,
  InsightsRows,
  modelFitFactsOf,
  type ModelFitFacts,
  type PopulationFacts,
  withPredictedTiersOfColumns,
  rankedRows,
} from './population';
import type { ReadStore } from '@rapport/read-store';
import {
  INSIGHTS_COLLECTION,
  MODEL_CHECK_KEY,
  MODEL_KEY,
  SNAPSHOT_KEY,
  VERSION_KEY,
  type InsightsSnapshot,
} from './insights-snapshot';
import { fitModels, type ModelFit } from './model-fit';
import type { ChangedCustomers } from './incremental/changed-customers';
import { CompactFacts } from './incremental/compact-facts';
import { CustomerFactsCache, type KeptFactsOutcome } from './incremental/customer-facts.cache';
import { InlineModelRunner } from './model-runner/inline.model-runner';
import type { ModelRunner } from './model-runner/model-runner';
import { gathered, inPages } from './model-runner/pages';
import { DatedViews, MAX_DATED_CUSTOMERS } from './as-of/dated-views';
import { retentionOf, type RetentionAsOf } from './as-of/retention-as-of';
import { mappedViews, storedViewPages, type ViewsAsOf } from './views-as-of';

export interface InsightsEngineOptions extends Omit<InsightsOptions, 'asOf'> {
  /** The customer-view collection to read: the active blue/green generation. */
  readonly viewCollection?: () => string | Promise<string>;
  /** The projector checkpoint recorded with a snapshot; default 'projector'. */
  readonly checkpointName?: string;
  /**
   * How long `current()` trusts the snapshot version it last read before reading the version
   * key again; default 0 (every call reads it). It bounds how late a snapshot saved by another
   * process is seen; one saved by this engine is seen at once.
   */
  readonly versionCheckMs?: number;
  /** Where the population model and the fit are computed; default inline (blocking). */
  readonly modelRunner?: ModelRunner;
  /**
   * Most customers whose dated views are kept between as-of computations (default
   * MAX_DATED_CUSTOMERS); a larger base reads every view for each of them instead.
   */
  readonly maxDatedCustomers?: number;
}

const PAGE = 1_000;
/** Excluded customers listed in a snapshot (all are counted). */
const EXCLUDED_LISTED = 100;

/**
 * Recomputes the population-wide results — tier cutoffs and summary, the BG/NBD fit, the
 * per-customer rows the lists are served from, retention — from every customer's record.
 * One pass over the views gathers each customer's facts, the model is built from them (where
 * the model runner puts it: on a worker thread in the apps), then the rows come from the same
 * facts. Both passes go a page at a time, yielding to the event loop between pages so
 * ingestion and queries keep flowing.
 */
export class InsightsEngine {
  private readonly logger = new Logger(InsightsEngine.name);
  private cached: InsightsSnapshot | undefined;
  private cachedModel: { readonly version: number; readonly model: InsightsModel } | undefined;
  private versionCheckedAt = Number.NEGATIVE_INFINITY;
  private readonly byAsOf = new Map<string, Promise<InsightsSnapshot>>();

  private readonly runner: ModelRunner;
  /** Every customer's facts as of the last refresh that kept them. */
  private readonly facts: CustomerFactsCache;
  /** The projector position the kept facts cover at least. */
  private factsPosition = -1n;
  /** Every customer's dated view, which past dates are computed from. */
  private readonly dated: DatedViews;

  constructor(
    private readonly readStore: ReadStore,
    private readonly options: InsightsEngineOptions,
  ) {
    this.runner = options.modelRunner ?? new InlineModelRunner();
    this.facts = new CustomerFactsCache(options);
    this.dated = new DatedViews(readStore, options.maxDatedCustomers ?? MAX_DATED_CUSTOMERS);
  }

  /**
   * The projector wrote these customers' views (up to `position`): the dated views that as-of
   * computations use read them again before their next use. Where nothing reports, the dated
   * views are read again in full whenever the projector's checkpoint has moved.
   */
  viewsWritten(customerIds: Iterable<string>, position: bigint): void {
    this.dated.written(customerIds, position);
  }

  /** Stops the model runner's thread, if it has one. */
  close(): Promise<void> {
    return this.runner.close();
  }

  /** A snapshot as of `asOf` from every view, read now (nothing kept between calls). */
  async compute(asOf: string): Promise<InsightsSnapshot> {
    const started = performance.now();
    const position = await this.checkpoint();
    const collection = await this.viewCollection();
    const settings = this.settingsAsOf(asOf);
    // Each view is read (for a cold one: parsed) once; the rows come from what it gave.
    const outcomes = this.pages(collection, (view) => this.factsAsOf(view, asOf, settings));
    return this.computeFrom(asOf, position, started, outcomes);
  }

  /**
   * A snapshot as of `asOf` like {@link compute}, from the views `viewsAsOf` makes of the
   * stored ones: what a caller evaluating as of a log position uses when the projector may be
   * past it. The records handed to `viewsAsOf` are the dated views kept for {@link asOf} (read
   * again only where the projector wrote since), each with its stored key, position and stale
   * mark, so a second boundary reads no view that did not change; a base larger than those
   * kept has every view read for each call instead.
   */
  async computeWithViews(asOf: string, viewsAsOf: ViewsAsOf): Promise<InsightsSnapshot> {
    const started = performance.now();
    const position = await this.checkpoint();
    const collection = await this.viewCollection();
    const dated = await this.dated.at(collection, BigInt(position));
    const settings = this.settingsAsOf(asOf);
    const stored = dated
      ? yieldingPages(dated.records, (record) => record)
      : storedViewPages(this.readStore, collection, PAGE);
    const outcomes = mappedViews(viewsAsOf(stored), (view) => this.factsAsOf(view, asOf, settings));
    return this.computeFrom(asOf, position, started, outcomes);
  }

  /**
   * The same snapshot as {@link compute}, keeping every customer's facts for the next call:
   * given the customers whose views changed since the last one, it reads only those views
   * again (and those whose facts moved on with asOf), then builds the model and the rows from
   * the kept facts. A switch of view generation, an asOf before the kept one, or no
   * `changes` reads every view again.
   */
  private async computeKeepingFacts(
    asOf: string,
    changes: ChangedCustomers | undefined,
  ): Promise<InsightsSnapshot> {
    const started = performance.now();
    const collection = await this.viewCollection();
    if (!changes || !this.facts.followsOn(collection, asOf)) {
      const position = await this.checkpoint();
      this.facts.restart(asOf);
      const outcomes = this.pages(collection, (view) => this.facts.put(view) ?? undefined);
      const snapshot = await this.computeFrom(asOf, position, started, outcomes);
      // Only a pass read to its end may be followed on.
      this.facts.completed(collection);
      this.factsPosition = BigInt(position);
      return snapshot;
    }
    try {
      const due = new Set(changes.customers);
      for (const key of this.facts.advanceTo(asOf)) due.add(key);
      const keys = [...due];
      for (let from = 0; from < keys.length; from += PAGE) {
        const page = keys.slice(from, from + PAGE);
        const found = await this.readStore.getMany<CustomerView>(collection, page, {
          shared: true,
        });
        for (const key of page) {
          const record = found.get(key);
          if (record) this.facts.put(record.value);
          else this.facts.remove(key);
        }
        await nextTurn();
      }
    } catch (error) {
      // The changes taken are lost with this refresh: the next one reads every view.
      this.facts.restart(asOf);
      throw error;
    }
    if (changes.position > this.factsPosition) this.factsPosition = changes.position;
    return this.computeFrom(
      asOf,
      this.factsPosition.toString(),
      started,
      yieldingPages([...this.facts.inKeyOrder()], (outcome) => outcome),
    );
  }

  /**
   * The model, from every customer's facts as they come (page by page, to the model runner),
   * then each customer's row against it. Customers whose facts could not be read, or whose row
   * cannot be computed, are counted and left out.
   */
  private async computeFrom(
    asOf: string,
    position: string,
    started: number,
    outcomes: AsyncIterable<readonly (CustomerFactsOutcome | KeptFactsOutcome)[]>,
  ): Promise<InsightsSnapshot> {
    const settings = this.settingsAsOf(asOf);
    // Kept facts stay compact: each is read out when needed, and is garbage right after.
    const customers: Array<CustomerFacts | CompactFacts | undefined> = [];
    const excluded = new Exclusions();
    async function* facts(): AsyncGenerator<PopulationFacts[]> {
      for await (const page of outcomes) {
        const present: PopulationFacts[] = [];
        for (const outcome of page) {
          if (outcome.excluded) {
            excluded.add(outcome.excluded);
            continue;
          }
          customers.push(outcome.facts);
          present.push(
            outcome.facts instanceof CompactFacts
              ? outcome.facts.populationFacts()
              : populationFactsOf(outcome.facts),
          );
        }
        yield present;
      }
    }
    const result = await this.runner.buildModel(settings, facts());
    // Each row goes into the columns as it is made: the row objects are young garbage, never a
    // million of them at once (nor the arrays that gathered them).
    const built = InsightsRows.builder(customers.length);
    for await (const page of pagesReleasing(customers, (customer) => {
      try {
        built.add(insightsRowOf(factsOf(customer), result.model));
      } catch (error) {
        const customerId =
          customer instanceof CompactFacts ? customer.customerId : customer.inputs.customerId;
        excluded.add({ customerId, reason: (error as Error).message });
      }
    }))
      void page;
    const ranked = rankedRows(built.done());
    const predicted = withPredictedTiersOfColumns(ranked, result.model);
    if (excluded.count)
      this.logger.warn(
        `insights as of ${asOf} leave out ${excluded.count} customers whose views are parked or ` +
          `invalid (first: ${excluded.listed.map((c) => `${c.customerId}: ${c.reason}`).join('; ')})`,
      );
    const durationMs = Math.round(performance.now() - started);
    return {
      ...result,
      ...(predicted ? { model: predicted.model, predictedTiers: predicted.predictedTiers } : {}),
      version: 0,
      computedAt: new Date().toISOString(),
      position,
      customers: ranked.length,
      durationMs,
      rows: ranked,
      excluded: { count: excluded.count, customers: excluded.listed },
    };
  }

  /**
   * Computes as of now and saves it as the current snapshot. With `keepFacts` (the refresher
   * that follows the projector), every customer's facts are kept for the next refresh, which,
   * given the customers whose views `changes` since, reads only those views again: the
   * snapshot is the one a full refresh would save (incremental-refresh.spec checks it).
   */
  async refresh(
    asOf = new Date().toISOString(),
    options: { readonly keepFacts?: boolean; readonly changes?: ChangedCustomers } = {},
  ): Promise<InsightsSnapshot> {
    const computed = options.keepFacts
      ? await this.computeKeepingFacts(asOf, options.changes)
      : await this.compute(asOf);
    const version = Math.max(Date.now(), (this.cached?.version ?? 0) + 1);
    const snapshot = { ...computed, version };
    // Snapshot first, then the small version key readers poll: a reader never sees a version
    // whose snapshot is not there yet. Saved with its rows as columns (plain data: base64 of
    // the typed arrays), a fraction of the rows as JSON objects.
    await this.readStore.putMany<unknown>(INSIGHTS_COLLECTION, [
      {
        key: SNAPSHOT_KEY,
        position: BigInt(version),
        value: { ...snapshot, rows: snapshot.rows.encoded() },
      },
      // The model alone, small: what one customer's read needs, without the population's rows.
      { key: MODEL_KEY, position: BigInt(version), value: { version, model: snapshot.model } },
    ]);
    await this.readStore.putMany(INSIGHTS_COLLECTION, [
      { key: VERSION_KEY, position: BigInt(version), value: version },
    ]);
    this.cached = snapshot;
    this.versionCheckedAt = performance.now();
    this.logger.log(
      `insights as of ${asOf}: ${snapshot.customers} customers, Gini ${snapshot.tiers.gini.toFixed(3)}, ` +
        `fit ${snapshot.model.fit ? 'LL ' + snapshot.model.fit.logLikelihood.toFixed(1) : (snapshot.fitNote ?? 'none')} in ${snapshot.durationMs} ms`,
    );
    return snapshot;
  }

  /** The latest saved snapshot (cached until a newer version is saved, by any process). */
  async current(): Promise<InsightsSnapshot | undefined> {
    const checkedAt = performance.now();
    if (this.cached && checkedAt - this.versionCheckedAt < (this.options.versionCheckMs ?? 0))
      return this.cached;
    const version = await this.readStore.get<number>(INSIGHTS_COLLECTION, VERSION_KEY);
    if (!version) return undefined;
    this.versionCheckedAt = checkedAt;
    if (this.cached?.version === version.value) return this.cached;
    const stored = await this.readStore.get<StoredSnapshot>(INSIGHTS_COLLECTION, SNAPSHOT_KEY, {
      shared: true,
    });
    // Held until the next version, as columns (a snapshot saved before them: its row objects).
    if (stored) this.cached = { ...stored.value, rows: InsightsRows.fromStored(stored.value.rows) };
    return this.cached;
  }

  /**
   * The model of the latest saved snapshot (cutoffs, fits, value settings) without its rows:
   * what one customer's insights are read against. A customer read never loads the population.
   */
  async currentModel(): Promise<InsightsModel | undefined> {
    const checkedAt = performance.now();
    const fresh = checkedAt - this.versionCheckedAt < (this.options.versionCheckMs ?? 0);
    const held =
      this.cachedModel ??
      (this.cached && { version: this.cached.version, model: this.cached.model });
    if (held && fresh) return held.model;
    const version = await this.readStore.get<number>(INSIGHTS_COLLECTION, VERSION_KEY);
    if (!version) return undefined;
    this.versionCheckedAt = checkedAt;
    if (this.cached?.version === version.value) return this.cached.model;
    if (this.cachedModel?.version === version.value) return this.cachedModel.model;
    const stored = await this.readStore.get<{ version: number; model: InsightsModel }>(
      INSIGHTS_COLLECTION,
      MODEL_KEY,
    );
    // Snapshots saved before the model had a key of its own: the whole snapshot it is.
    if (!stored) return (await this.current())?.model;
    this.cachedModel = stored.value;
    return stored.value.model;
  }

  /**
   * A snapshot as of a past (or any explicit) instant, computed on demand and kept briefly. A
   * kept one computed before `minPosition` (read-your-writes) is computed again.
   */
  async asOf(asOf: string, minPosition?: bigint): Promise<InsightsSnapshot> {
    let pending = this.byAsOf.get(asOf);
    if (pending && minPosition !== undefined) {
      const kept = await pending.catch(() => undefined);
      if (!kept || BigInt(kept.position) < minPosition) {
        if (this.byAsOf.get(asOf) === pending) this.byAsOf.delete(asOf);
        pending = this.byAsOf.get(asOf);
      }
    }
    if (!pending) {
      pending = this.computeDated(asOf);
      this.byAsOf.set(asOf, pending);
      pending.catch(() => this.byAsOf.delete(asOf));
      if (this.byAsOf.size > 8) this.byAsOf.delete(this.byAsOf.keys().next().value as string);
    }
    return pending;
  }

  /**
   * The same snapshot as {@link compute}, from the dated views kept between calls (read again
   * only where the projector wrote since): a second date reads no view it need not.
   */
  private async computeDated(asOf: string): Promise<InsightsSnapshot> {
    const started = performance.now();
    const dated = await this.datedViews();
    if (!dated) return this.compute(asOf);
    const { views, position } = dated;
    const settings = this.settingsAsOf(asOf);
    const outcomes = yieldingPages(views, (view) => this.factsAsOf(view, asOf, settings));
    return this.computeFrom(asOf, position.toString(), started, present(outcomes));
  }

  /**
   * Retention and the cohort table as of a date, as in {@link asOf}'s snapshot, without the
   * model fits and the rows that snapshot also computes: they are not part of it.
   */
  async retentionAsOf(asOf: string): Promise<RetentionAsOf> {
    const dated = await this.datedViews();
    if (dated) return retentionOf(dated.views, this.settingsAsOf(asOf), dated.position);
    const snapshot = await this.compute(asOf);
    const { retention, cohorts, position } = snapshot;
    return { asOf: snapshot.model.asOf, position, retention, cohorts };
  }

  private async datedViews() {
    const collection = await this.viewCollection();
    return this.dated.at(collection, BigInt(await this.checkpoint()));
  }

  /** Fits BG/NBD as of a date in a unit, on purchases up to that date only. */
  async fitModel(
    asOf: string,
    unit: BgNbdTimeUnit,
  ): Promise<{ fit: BgNbdFitResult | null; customers: number; note?: string }> {
    // Summaries are small; gathered first so that a base without repeat buyers is told apart
    // before any thread is asked to fit it.
    const summaries = (
      await gathered(
        // A parked customer's view is stale: left out, as from every population result.
        this.pages(await this.viewCollection(), (view) =>
          staleMarkOf(view) ? undefined : summarizeBgNbd(purchasesUpTo(view, asOf), { asOf, unit }),
        ),
      )
    ).filter((summary): summary is BgNbdSummary => summary !== null);
    if (!summaries.some((s) => s.x > 0))
      return { fit: null, customers: summaries.length, note: 'no customer has bought twice' };
    const fit = await this.runner.fit(unit, inPages(summaries, PAGE));
    return { fit, customers: summaries.length };
  }

  /**
   * Fits BG/NBD and the spend model as of a date in a unit. With `holdoutFrom` (the first
   * instant of the holdout period), both are fitted on the purchases before it, and the
   * holdout table compares predicted with actual transactions from it up to `asOf`; that
   * result is kept as the latest model check (GET /v1/model shows it).
   */
  async fitModels(asOf: string, unit: BgNbdTimeUnit, holdoutFrom?: string): Promise<ModelFit> {
    const calibrationEnd =
      holdoutFrom === undefined ? undefined : new Date(Date.parse(holdoutFrom) - 1).toISOString();
    const { currency, windowMonths } = this.options;
    const facts = (
      await gathered(
        this.pages(await this.viewCollection(), (view) =>
          staleMarkOf(view)
            ? undefined
            : modelFitFactsOf(view, { asOf, unit, currency, windowMonths, calibrationEnd }),
        ),
      )
    ).filter((f): f is ModelFitFacts => f !== null);
    const result = await fitModels(
      facts,
      { asOf, unit, currency, calibrationEnd, holdoutFrom },
      this.runner,
    );
    if (result.holdout)
      await this.readStore.putMany(INSIGHTS_COLLECTION, [
        { key: MODEL_CHECK_KEY, position: BigInt(Date.now()), value: result },
      ]);
    return result;
  }

  /** The latest fit with a holdout check, by any process; undefined before the first. */
  async latestModelCheck(): Promise<ModelFit | undefined> {
    return (await this.readStore.get<ModelFit>(INSIGHTS_COLLECTION, MODEL_CHECK_KEY))?.value;
  }

  /** Resolved once per pass: a switch mid-pass must not mix two generations in one result. */
  private async viewCollection(): Promise<string> {
    return (await this.options.viewCollection?.()) ?? customerViewProjection.name;
  }

  /** The projector position the views are at least at, read before they are. */
  private async checkpoint(): Promise<string> {
    return (
      (await this.readStore.getCheckpoint(this.options.checkpointName ?? 'projector')) ?? -1n
    ).toString();
  }

  /** The model's settings alone: they travel to the model runner's thread, which copies them. */
  private settingsAsOf(asOf: string): InsightsOptions {
    const { currency, windowMonths, unit, horizonDays, pareto, minCustomersForFit, value } =
      this.options;
    return {
      asOf,
      currency,
      windowMonths,
      unit,
      horizonDays,
      minCustomersForFit,
      ...(pareto ? { pareto } : {}),
      ...(value ? { value } : {}),
    };
  }

  /**
   * A customer's facts as of `asOf` (or why it is left out), compact as kept facts are: as
   * objects, every customer's would outlive the young generation and make the collector copy
   * and mark them all. Undefined for a customer not yet known then.
   */
  private factsAsOf(
    view: DatedView,
    asOf: string,
    settings: InsightsOptions,
  ): KeptFactsOutcome | undefined {
    return knownAsOf(view, asOf) ? compacted(customerFactsOrExclusion(view, settings)) : undefined;
  }

  /**
   * `map` of every customer view (what it maps to undefined left out), a page at a time,
   * yielding to the event loop between pages.
   */
  private pages<T>(collection: string, map: (view: CustomerView) => T | undefined) {
    return mappedViews(storedViewPages(this.readStore, collection, PAGE), (record) =>
      map(record.value),
    );
  }
}

/** A snapshot as saved: its rows as columns, or (saved before them) as row objects. */
type StoredSnapshot = Omit<InsightsSnapshot, 'rows'> & {
  readonly rows: EncodedInsightsRows | readonly InsightsRow[];
};

/** Customers left out of a snapshot: all counted, the first few kept with their reason. */
class Exclusions {
  count = 0;
  readonly listed: ExcludedCustomer[] = [];

  add(customer: ExcludedCustomer): void {
    this.count += 1;
    if (this.listed.length < EXCLUDED_LISTED) this.listed.push(customer);
  }
}

function compacted(outcome: CustomerFactsOutcome): KeptFactsOutcome {
  return outcome.excluded ? outcome : { facts: CompactFacts.of(outcome.facts) };
}

function factsOf(customer: CustomerFacts | CompactFacts): CustomerFacts {
  return customer instanceof CompactFacts ? customer.facts() : customer;
}

/** Pages without what their map left undefined. */
async function* present<T>(pages: AsyncIterable<readonly (T | undefined)[]>): AsyncGenerator<T[]> {
  for await (const page of pages) yield page.filter((item): item is T => item !== undefined);
}

/**
 * `map` of every customer's facts, a page at a time, yielding between pages, letting go of each
 * customer's facts once mapped: as the rows grow the facts shrink, so a refresh that keeps no
 * facts never holds a million customers' facts and their rows at once.
 */
async function* pagesReleasing<T, R>(
  items: Array<T | undefined>,
  map: (item: T) => R,
): AsyncGenerator<R[]> {
  for (let from = 0; from < items.length; from += PAGE) {
    const to = Math.min(from + PAGE, items.length);
    const page = new Array<R>(to - from);
    for (let i = from; i < to; i++) {
      page[i - from] = map(items[i] as T);
      items[i] = undefined;
    }
    yield page;
    await nextTurn();
  }
}

/** `map` of `items`, a page at a time, yielding to the event loop between pages. */
async function* yieldingPages<T, R>(items: readonly T[], map: (item: T) => R): AsyncGenerator<R[]> {
  for await (const page of inPages(items, PAGE)) {
    yield page.map(map);
    await nextTurn();
  }
}
