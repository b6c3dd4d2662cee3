import { Body, Controller, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBody, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import {
  ApiProblemResponses,
  badRequest,
  notFound,
  POSITION_HEADER,
  ProblemDetailsException,
  Roles,
  type AuthenticatedRequest,
} from '@rapport/http';
import {
  GraphRetriesExhaustedError,
  MergeAlreadyUndoneError,
  MergeNotFoundError,
  MergeProfilesCommand,
  MergeWouldBreakLimitError,
  ProfileNotFoundError,
  ProfilesAlreadyMergedError,
  UndoMergeCommand,
} from '@rapport/recording';
import {
  decodeMergeBody,
  decodeUndoBody,
  MergeProfilesRequestDto,
  MergeProfilesResponseDto,
  UndoMergeRequestDto,
  UndoMergeResponseDto,
} from './identity-merges.dto';

const MERGE_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Merging and un-merging profiles by hand: events with who and why, never a deletion. */
@ApiTags('identities')
@Roles('admin')
@Controller('v1/identities/merges')
export class IdentityMergesHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Merge profiles by hand (rule "manual", by the calling key, with its reason)',
    description:
      'Every group or none. The limits per profile hold as for merges made by identifiers: a merge that would break one is refused (409) and the refusal is recorded as MergeRefused.',
  })
  @ApiBody({ type: MergeProfilesRequestDto })
  @ApiOkResponse({ type: MergeProfilesResponseDto })
  @ApiProblemResponses(400, 409, 503)
  async merge(
    @Body() body: unknown,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<MergeProfilesResponseDto> {
    const decoded = decodeMergeBody(body);
    if (!decoded.ok) throw badRequest('the merge request is not valid', decoded.errors);
    const { profiles, reason } = decoded.value;
    try {
      const result = await this.commandBus.execute(
        new MergeProfilesCommand(profiles, callerOf(request), reason, new Date().toISOString()),
      );
      reply.header(POSITION_HEADER, result.position.toString());
      return { ...result, members: [...result.members], position: result.position.toString() };
    } catch (error) {
      throw asProblem(error, reply);
    }
  }

  @Post(':mergeId/undo')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Undo a merge, manual or made by an identifier rule',
    description:
      'Each side becomes what it would have been without the merge; the same evidence never merges them again.',
  })
  @ApiParam({
    name: 'mergeId',
    description: 'As answered by the merge, or listed in a profile’s history',
  })
  @ApiBody({ type: UndoMergeRequestDto })
  @ApiOkResponse({ type: UndoMergeResponseDto })
  @ApiProblemResponses(400, 404, 409, 503)
  async undo(
    @Param('mergeId') mergeId: string,
    @Body() body: unknown,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<UndoMergeResponseDto> {
    if (!MERGE_ID.test(mergeId))
      throw badRequest('mergeId is not a merge id', [
        { path: 'mergeId', message: 'must be a merge id (a lower-case UUID)' },
      ]);
    const decoded = decodeUndoBody(body);
    if (!decoded.ok) throw badRequest('the undo request is not valid', decoded.errors);
    try {
      const result = await this.commandBus.execute(
        new UndoMergeCommand(
          mergeId,
          callerOf(request),
          decoded.value.reason,
          new Date().toISOString(),
        ),
      );
      reply.header(POSITION_HEADER, result.position.toString());
      return {
        mergeId: result.mergeId,
        undone: [...result.undone],
        profiles: [...result.profiles],
        position: result.position.toString(),
      };
    } catch (error) {
      throw asProblem(error, reply);
    }
  }
}

function callerOf(request: AuthenticatedRequest): string {
  // The guard authenticated the key before the route ran.
  return request.apiKey!.id;
}

function asProblem(error: unknown, reply: FastifyReply): unknown {
  if (error instanceof ProfileNotFoundError)
    return new ProblemDetailsException({
      title: 'Invalid request',
      status: 400,
      code: error.code,
      detail: error.message,
      errors: error.profileIds.map((id) => ({
        path: 'profiles',
        message: `${id} is no known profile`,
      })),
    });
  if (error instanceof MergeNotFoundError) return notFound(error.message);
  if (error instanceof MergeWouldBreakLimitError) {
    reply.header(POSITION_HEADER, error.position.toString());
    return conflict(error.code, error.message);
  }
  if (error instanceof ProfilesAlreadyMergedError || error instanceof MergeAlreadyUndoneError)
    return conflict(error.code, error.message);
  if (error instanceof GraphRetriesExhaustedError)
    return new ProblemDetailsException(
      { title: 'Service unavailable', status: 503, code: error.code, detail: error.message },
      { 'Retry-After': '1' },
    );
  return error;
}

function conflict(code: string, detail: string): ProblemDetailsException {
  return new ProblemDetailsException({ title: 'Conflict', status: 409, code, detail });
}
