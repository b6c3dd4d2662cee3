import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { INSIGHTS_ENGINE, type InsightsEngine } from '@rapport/insights';
import { profileOf, type ProfileMembership } from '@rapport/projector';
import { customerViewProjection, staleMarkOf, type CustomerView } from '@rapport/projections';
import { deriveCustomerInsights } from '@rapport/insights';
import {
  READ_STORE,
  VIEW_GENERATIONS,
  type ReadStore,
  type ViewGenerations,
} from '@rapport/read-store';
import { GetCustomerViewQuery, type CustomerViewResult } from './get-customer-view.query';

@QueryHandler(GetCustomerViewQuery)
export class GetCustomerViewHandler implements IQueryHandler<GetCustomerViewQuery> {
  constructor(
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Inject(INSIGHTS_ENGINE) private readonly insights: InsightsEngine,
    @Inject(VIEW_GENERATIONS) private readonly generations: ViewGenerations,
  ) {}

  async execute({
    customerId,
    asOf,
  }: GetCustomerViewQuery): Promise<CustomerViewResult | undefined> {
    // A merged customer's events are in its profile's record, kept under the survivor's id.
    const profile: ProfileMembership = await profileOf(this.readStore, customerId);
    const collection = await this.generations.activeCollection(customerViewProjection.name);
    // Shared: the view is only read and serialised, so the memory store need not copy it.
    const record = await this.readStore.get<CustomerView>(collection, profile.id, { shared: true });
    if (!record) return undefined;
    // A parked customer's view stopped at an event it could not apply: it says so (`stale`),
    // and no insights are derived from what is known to be incomplete.
    if (staleMarkOf(record.value))
      return { view: record.value, position: record.position, insights: null, profile };
    // The population model (cutoffs, fits) comes from the latest snapshot; the customer's own facts
    // are read live, so a new purchase shows in tier and risk at once.
    // Only the model (cutoffs, fits), never the population's rows: a customer's read stays
    // cheap however large the base is.
    const model = asOf
      ? (await this.insights.asOf(asOf)).model
      : await this.insights.currentModel();
    const at = asOf ?? new Date().toISOString();
    return {
      view: record.value,
      position: record.position,
      insights: model ? deriveCustomerInsights(record.value, model, at) : null,
      profile,
    };
  }
}
