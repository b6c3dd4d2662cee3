import { Body, Controller, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiAcceptedResponse, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RAPPORT_CONFIG, type RapportConfig } from '@rapport/config';
import { decodeTouchpoint } from '@rapport/contract';
import type { IncomingTouchpoint } from '@rapport/domain';
import {
  ApiProblemResponses,
  badRequest,
  POSITION_HEADER,
  ProblemDetailsException,
  Roles,
  type ProblemError,
} from '@rapport/http';
import { RecordTouchpointsCommand } from '@rapport/recording';
import {
  RecordTouchpointsResponseDto,
  toRecordTouchpointsResponse,
} from './record-touchpoints.response.dto';
import { TOUCHPOINTS_BODY } from './touchpoint.openapi';

@ApiTags('touchpoints')
@Roles('ingest')
@Controller('v1/touchpoints')
export class TouchpointsHttpController {
  constructor(
    private readonly commandBus: CommandBus,
    @Inject(RAPPORT_CONFIG) private readonly config: RapportConfig,
  ) {}

  /**
   * One touchpoint (an object) or many (an array, at most INGEST_MAX_BATCH). Any contract
   * violation refuses the whole request with every problem named; a broken business rule
   * (cancelling an unknown order) rejects only that item.
   */
  @Post()
  @HttpCode(202)
  @ApiOperation({ summary: 'Record touchpoints (one object or an array)' })
  @ApiBody(TOUCHPOINTS_BODY)
  @ApiAcceptedResponse({
    type: RecordTouchpointsResponseDto,
    description: 'Recorded item by item; the views follow asynchronously (read-your-writes)',
    headers: {
      [POSITION_HEADER]: {
        description: 'The global position to pass to reads as X-Min-Position',
        schema: { type: 'string' },
      },
    },
  })
  @ApiProblemResponses(400, 413, 415, 503)
  async record(
    @Body() body: unknown,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<RecordTouchpointsResponseDto> {
    const isArray = Array.isArray(body);
    const raw = isArray ? (body as unknown[]) : [body];
    if (raw.length === 0)
      throw badRequest('the body is an empty array: send at least one touchpoint', []);
    if (raw.length > this.config.ingest.maxBatch) {
      throw new ProblemDetailsException({
        title: 'Payload too large',
        status: 413,
        code: 'TOO_MANY_TOUCHPOINTS',
        detail: `${raw.length} touchpoints in one request; at most ${this.config.ingest.maxBatch} are accepted`,
      });
    }
    const now = new Date();
    const touchpoints: IncomingTouchpoint[] = [];
    const errors: ProblemError[] = [];
    raw.forEach((item, index) => {
      const decoded = decodeTouchpoint(item, { now, identifiers: this.config.identity });
      if (decoded.ok) touchpoints.push(decoded.touchpoint);
      else
        errors.push(
          ...decoded.problems.map((p) => ({
            ...(isArray ? { index } : {}),
            path: p.path,
            message: p.message,
          })),
        );
    });
    if (errors.length) {
      const bad = new Set(errors.map((e) => e.index)).size;
      throw badRequest(
        isArray
          ? `${bad} of ${raw.length} touchpoints break the contract; nothing was recorded`
          : 'the touchpoint breaks the contract; nothing was recorded',
        errors,
      );
    }
    const result = await this.commandBus.execute(
      new RecordTouchpointsCommand(touchpoints, {
        ingestedAt: now.toISOString(),
        correlationId: request.id,
      }),
    );
    // Nothing recorded and nothing found (every item rejected): there is no position to read at.
    if (result.position >= 0n) void reply.header(POSITION_HEADER, result.position.toString());
    return toRecordTouchpointsResponse(touchpoints, result);
  }
}
