import { Controller, Delete, HttpCode, Inject, Param, Query, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RAPPORT_CONFIG, type RapportConfig } from '@rapport/config';
import { CUSTOMER_ID_PATTERN } from '@rapport/contract';
import { EVENT_STORE, type EventStore } from '@rapport/event-store';
import {
  ApiProblemResponses,
  badRequest,
  notFound,
  POSITION_HEADER,
  ProblemDetailsException,
  Roles,
} from '@rapport/http';
import { CustomerNotFoundError, eraseProfile, KEY_STORE, type KeyStore } from '@rapport/privacy';

export interface ErasureResponseDto {
  readonly customerId: string;
  readonly erased: true;
  readonly position: string;
  readonly appended: boolean;
  readonly keyDestroyed: boolean;
  /** Every customer of the asked one's profile (itself alone if never merged), all erased. */
  readonly members: string[];
}

/**
 * The right to be forgotten: the customer's key destroyed, an erasure event appended; for a
 * merged profile, every member customer's (the person is erased, not one of their streams).
 */
@ApiTags('customers')
@Roles('admin')
@Controller('v1/customers')
export class CustomerErasureHttpController {
  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(KEY_STORE) private readonly keys: KeyStore,
    @Inject(RAPPORT_CONFIG) private readonly config: RapportConfig,
  ) {}

  @Delete(':customerId')
  @HttpCode(200)
  @ApiOperation({
    summary:
      "Erase the customer's personal data (crypto-shredding): amounts, dates and tiers stay; a repeat is harmless. " +
      'A customer in a merged profile erases the whole profile: every member customer (listed in `members`)',
  })
  @ApiParam({ name: 'customerId', example: 'C-1001' })
  @ApiQuery({
    name: 'reason',
    required: true,
    description: 'Why (a request reference): kept with the erasure event; no personal data',
  })
  @ApiOkResponse({ description: 'Erased; X-Rapport-Position: wait for it to read the erased view' })
  @ApiProblemResponses(400, 404, 409, 503)
  async erase(
    @Param('customerId') customerId: string,
    @Query('reason') reason: unknown,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ErasureResponseDto> {
    if (!CUSTOMER_ID_PATTERN.test(customerId))
      throw badRequest('customerId is not a valid customer id', [
        {
          path: 'customerId',
          message: 'must be 1–128 of A–Z a–z 0–9 . _ : @ - starting with a letter or digit',
        },
      ]);
    if (typeof reason !== 'string' || reason.trim().length === 0 || reason.length > 500)
      throw badRequest('an erasure needs a reason', [
        {
          path: 'reason',
          message: 'required: 1–500 characters (a request reference, no personal data)',
        },
      ]);
    if (this.config.privacy.encryption === 'off')
      throw new ProblemDetailsException({
        title: 'Encryption is off',
        status: 409,
        code: 'ENCRYPTION_OFF',
        detail:
          'PERSONAL_DATA_ENCRYPTION=off: personal fields are stored in plain text and cannot be erased',
      });
    try {
      const outcome = await eraseProfile(this.eventStore, this.keys, {
        customerId,
        reason,
        requestedAt: new Date().toISOString(),
        correlationId: String(request.id),
      });
      reply.header(POSITION_HEADER, outcome.position.toString());
      return {
        customerId,
        erased: true,
        position: outcome.position.toString(),
        appended: outcome.appended,
        keyDestroyed: outcome.keyDestroyed,
        members: outcome.members.map((member) => member.customerId),
      };
    } catch (error) {
      if (error instanceof CustomerNotFoundError) throw notFound(error.message);
      throw error;
    }
  }
}
