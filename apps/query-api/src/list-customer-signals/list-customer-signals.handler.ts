import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { profileOf } from '@rapport/projector';
import { customerViewProjection } from '@rapport/projections';
import {
  READ_STORE,
  VIEW_GENERATIONS,
  type ReadStore,
  type ViewGenerations,
} from '@rapport/read-store';
import { SIGNAL_LEDGER, type SqliteSignalLedger } from '@rapport/signal-delivery';
import { readSignalsPage, type SignalsPage } from '../shared/signals-page';
import { ListCustomerSignalsQuery } from './list-customer-signals.query';

/**
 * A customer is known when it has a view, as `GET /v1/customers/{id}` decides. Its signals follow
 * the profile as the view does: those derived before a merge name the member they were derived
 * for, later ones the profile's id, and asking by any member gives them all.
 */
@QueryHandler(ListCustomerSignalsQuery)
export class ListCustomerSignalsHandler implements IQueryHandler<ListCustomerSignalsQuery> {
  constructor(
    @Inject(SIGNAL_LEDGER) private readonly ledger: SqliteSignalLedger,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Inject(VIEW_GENERATIONS) private readonly generations: ViewGenerations,
  ) {}

  async execute({
    customerId,
    filter,
  }: ListCustomerSignalsQuery): Promise<SignalsPage | undefined> {
    const profile = await profileOf(this.readStore, customerId);
    const views = await this.generations.activeCollection(customerViewProjection.name);
    // Shared: only its presence is read, so the memory store need not copy the view.
    if (!(await this.readStore.get(views, profile.id, { shared: true }))) return undefined;
    return readSignalsPage(this.ledger, { ...filter, customerId: profile.members });
  }
}
