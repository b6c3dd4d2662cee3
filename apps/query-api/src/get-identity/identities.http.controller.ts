import { Controller, Get, Inject, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { RAPPORT_CONFIG, type RapportConfig } from '@rapport/config';
import { ApiProblemResponses, badRequest, notFound, Roles } from '@rapport/http';
import { GetIdentityProfileQuery } from './get-identity-profile.query';
import { parseIdentifierParam } from '../shared/identifier-param';
import {
  IdentityProfileResponseDto,
  toIdentityProfileResponse,
} from './identity-profile.response.dto';

@ApiTags('identities')
@Roles('analyst')
@Controller('v1/identities')
export class IdentitiesHttpController {
  constructor(
    private readonly queryBus: QueryBus,
    @Inject(RAPPORT_CONFIG) private readonly config: RapportConfig,
  ) {}

  @Get(':type/:value')
  @ApiOperation({
    summary: 'The profile an identifier names: its customer view, identifiers and merge history',
    description:
      "The value is normalised as the touchpoint contract does (email trimmed and lower-cased, phone to E.164 with IDENTITY_DEFAULT_REGION). URL-encode it: a phone's + is %2B.",
  })
  @ApiParam({
    name: 'type',
    example: 'email',
    description: 'customerId, email, phone, anonymousId, loyaltyCard or a configured type',
  })
  @ApiParam({ name: 'value', example: 'ada@example.com' })
  @ApiOkResponse({ type: IdentityProfileResponseDto })
  @ApiProblemResponses(400, 404, 503)
  async get(
    @Param('type') type: string,
    @Param('value') value: string,
  ): Promise<IdentityProfileResponseDto> {
    const parsed = parseIdentifierParam(
      type,
      value,
      { type: 'type', value: 'value' },
      this.config.identity,
    );
    if (!parsed.ok) throw badRequest('the identifier is not valid', parsed.errors);
    const profile = await this.queryBus.execute(new GetIdentityProfileQuery(parsed.identifier));
    if (!profile) throw notFound(`no profile holds the ${parsed.identifier.type} named`);
    return toIdentityProfileResponse(profile);
  }
}
