import { Controller, Get, Inject, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CUSTOMER_ID_PATTERN } from '@rapport/contract';
import { EVENT_STORE, type EventStore } from '@rapport/event-store';
import { ApiProblemResponses, badRequest, notFound, Roles } from '@rapport/http';
import { customerViewProjection, type CustomerView } from '@rapport/projections';
import {
  CustomerNotFoundError,
  exportProfileEvents,
  type CurrentProfile,
  type ExportedProfileEvent,
} from '@rapport/privacy';
import {
  READ_STORE,
  VIEW_GENERATIONS,
  type ReadStore,
  type ViewGenerations,
} from '@rapport/read-store';

export interface CustomerExportDto {
  /** The profile's id (the survivor's), as the view names it. */
  readonly customerId: string;
  readonly exportedAt: string;
  readonly profile: CurrentProfile;
  readonly events: readonly ExportedProfileEvent[];
  readonly view: CustomerView | null;
}

/**
 * The right of access: everything Rapport holds on one person, decrypted. Asked by any member
 * of a merged profile, it gives every member's events (as the identity graph has the profile
 * now) and the profile's view.
 */
@ApiTags('customers')
@Roles('admin')
@Controller('v1/customers')
export class CustomerExportHttpController {
  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Inject(VIEW_GENERATIONS) private readonly generations: ViewGenerations,
  ) {}

  @Get(':customerId/export')
  @ApiOperation({
    summary:
      'Every event of the customer, decrypted, and the current view (JSON). A customer merged ' +
      "into a profile answers the profile: every member's events, each naming its customerId, " +
      "and the profile's view; `profile` names it and its members",
  })
  @ApiParam({ name: 'customerId', example: 'C-1001' })
  @ApiOkResponse({
    description: 'events in global position order and the view (null before the projector has it)',
  })
  @ApiProblemResponses(400, 404, 503)
  async export(@Param('customerId') customerId: string): Promise<CustomerExportDto> {
    if (!CUSTOMER_ID_PATTERN.test(customerId))
      throw badRequest('customerId is not a valid customer id', [
        {
          path: 'customerId',
          message: 'must be 1–128 of A–Z a–z 0–9 . _ : @ - starting with a letter or digit',
        },
      ]);
    try {
      const { profile, events } = await exportProfileEvents(this.eventStore, customerId);
      const collection = await this.generations.activeCollection(customerViewProjection.name);
      const record = await this.readStore.get<CustomerView>(collection, profile.id);
      return {
        customerId: profile.id,
        exportedAt: new Date().toISOString(),
        profile,
        events,
        view: record?.value ?? null,
      };
    } catch (error) {
      if (error instanceof CustomerNotFoundError) throw notFound(error.message);
      throw error;
    }
  }
}
