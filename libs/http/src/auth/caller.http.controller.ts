import { Controller, Get, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { API_ROLES } from '@rapport/config';
import { roleAllows } from './api-key.authenticator';
import type { AuthenticatedRequest } from './api-key.guard';
import { ReadsNoView } from '../read-your-writes/reads-no-view.decorator';
import { CallerResponseDto } from './caller.response.dto';
import { Roles } from './roles.decorator';

/**
 * Who the calling key is, so that a client offers only what the key may do (the dashboard
 * shows its rebuild buttons to admin keys alone) instead of letting a 403 tell the analyst.
 */
@ApiTags('auth')
@Controller('v1/me')
export class CallerHttpController {
  @Get()
  @ReadsNoView()
  @Roles('analyst', 'ingest')
  @ApiOperation({
    summary: 'The calling API key: its id and role',
    description:
      'Any key may ask. `roles` lists every role whose routes the key may call: an admin key may call all of them.',
  })
  @ApiOkResponse({ type: CallerResponseDto })
  me(@Req() request: AuthenticatedRequest): CallerResponseDto {
    // The guard has authenticated the key before any route runs.
    const key = request.apiKey!;
    return {
      keyId: key.id,
      role: key.role,
      roles: API_ROLES.filter((role) => roleAllows(key.role, [role])),
    };
  }
}
