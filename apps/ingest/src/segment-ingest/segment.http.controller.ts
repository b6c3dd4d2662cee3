import { Body, Controller, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RAPPORT_CONFIG, type RapportConfig } from '@rapport/config';
import {
  decodeSegmentCall,
  isObject,
  type SegmentBatchDefaults,
  type SegmentCallType,
  type SegmentDecodeResult,
} from '@rapport/contract';
import {
  ApiProblemResponses,
  badRequest,
  KeyInBody,
  POSITION_HEADER,
  ProblemDetailsException,
  Roles,
} from '@rapport/http';
import {
  LinkIdentifiersCommand,
  RecordTouchpointsCommand,
  type LinkResult,
  type RecordTouchpointsResult,
} from '@rapport/recording';
import { SEGMENT_BATCH_BODY, segmentCallBody } from './segment.openapi';
import { runsOfKind } from './segment-call-runs';
import {
  SegmentResponseDto,
  toSegmentResponse,
  type SegmentCallRecord,
} from './segment.response.dto';

/** Where analytics.js in a browser sends the write key: it sets no Authorization header. */
const WRITE_KEY_FIELD = 'writeKey';

/** Every Segment touchpoint's `source`: with the messageId it makes the event id. */
export const SEGMENT_SOURCE = 'segment';

const OK_RESPONSE = {
  type: SegmentResponseDto,
  description:
    'Taken: each call recorded, a duplicate of one recorded before, or rejected by a rule',
  headers: {
    [POSITION_HEADER]: {
      description: 'The global position to pass to reads as X-Min-Position',
      schema: { type: 'string' },
    },
  },
};

/**
 * Segment's HTTP tracking API, so web and mobile trackers send here unchanged (host and path
 * configured, the write key as the HTTP Basic user name or, from a browser, as `writeKey` in
 * the body: an API key of role `segment`). Calls are mapped by @rapport/contract and recorded
 * through the one write path: touchpoints, or an identify call's identifier links.
 */
@ApiTags('segment')
@Roles('ingest', 'segment')
@Controller('v1/segment')
export class SegmentHttpController {
  constructor(
    private readonly commandBus: CommandBus,
    @Inject(RAPPORT_CONFIG) private readonly config: RapportConfig,
  ) {}

  @Post('track')
  @KeyInBody(WRITE_KEY_FIELD)
  @HttpCode(200)
  @ApiOperation({
    summary:
      'A Segment track call: Order Completed → purchase; Order Cancelled / Refunded → cancellation',
  })
  @ApiBody(segmentCallBody('track'))
  @ApiOkResponse(OK_RESPONSE)
  @ApiProblemResponses(400, 413, 415, 503)
  track(
    @Body() body: unknown,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.recordOne('track', body, request, reply);
  }

  @Post('page')
  @KeyInBody(WRITE_KEY_FIELD)
  @HttpCode(200)
  @ApiOperation({ summary: 'A Segment page call → web_visit' })
  @ApiBody(segmentCallBody('page'))
  @ApiOkResponse(OK_RESPONSE)
  @ApiProblemResponses(400, 413, 415, 503)
  page(
    @Body() body: unknown,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.recordOne('page', body, request, reply);
  }

  @Post('identify')
  @KeyInBody(WRITE_KEY_FIELD)
  @HttpCode(200)
  @ApiOperation({
    summary:
      'A Segment identify call → links userId, anonymousId, traits.email / phone to one profile (no touchpoint)',
  })
  @ApiBody(segmentCallBody('identify'))
  @ApiOkResponse(OK_RESPONSE)
  @ApiProblemResponses(400, 413, 415, 503)
  identify(
    @Body() body: unknown,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    return this.recordOne('identify', body, request, reply);
  }

  /**
   * Many calls, each answered as it fared: the valid ones are recorded even when others are
   * invalid, since trackers drop a refused batch whole and never send it again.
   */
  @Post('batch')
  @KeyInBody(WRITE_KEY_FIELD)
  @HttpCode(200)
  @ApiOperation({
    summary: 'Segment calls in a batch (as analytics-node and the mobile SDKs send them)',
  })
  @ApiBody(SEGMENT_BATCH_BODY)
  @ApiOkResponse(OK_RESPONSE)
  @ApiProblemResponses(400, 413, 415, 503)
  async batch(
    @Body() body: unknown,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SegmentResponseDto> {
    if (!isObject(body) || !Array.isArray(body.batch))
      throw badRequest('the body must be an object whose batch is an array of Segment calls', [
        { path: 'batch', message: 'batch is required: an array of Segment calls' },
      ]);
    const calls = body.batch as unknown[];
    if (calls.length === 0)
      throw badRequest('the batch is empty: send at least one call', [
        { path: 'batch', message: 'batch must not be empty' },
      ]);
    if (calls.length > this.config.ingest.maxBatch) {
      throw new ProblemDetailsException({
        title: 'Payload too large',
        status: 413,
        code: 'TOO_MANY_TOUCHPOINTS',
        detail: `${calls.length} calls in one batch; at most ${this.config.ingest.maxBatch} are accepted`,
      });
    }
    const defaults: SegmentBatchDefaults = { sentAt: body.sentAt, context: body.context };
    const receivedAt = new Date();
    const decoded = calls.map((call) =>
      decodeSegmentCall(
        isObject(call) ? call.type : undefined,
        call,
        this.options(receivedAt),
        defaults,
      ),
    );
    return this.record(calls, decoded, receivedAt, request, reply);
  }

  private async recordOne(
    type: SegmentCallType,
    body: unknown,
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<SegmentResponseDto> {
    const receivedAt = new Date();
    const decoded = decodeSegmentCall(type, body, this.options(receivedAt));
    if (!decoded.ok) {
      throw new ProblemDetailsException({
        title: 'Invalid request',
        status: 400,
        code: decoded.code,
        detail: `the ${type} call was not recorded: ${decoded.problems.map((p) => p.message).join('; ')}`,
        errors: decoded.problems,
      });
    }
    return this.record([body], [decoded], receivedAt, request, reply);
  }

  /**
   * Records the decoded calls in request order, run by run: touchpoints through
   * RecordTouchpointsCommand, identify calls through LinkIdentifiersCommand, so that in
   * [page, identify, track] the track lands on the profile the identify linked.
   */
  private async record(
    calls: readonly unknown[],
    decoded: readonly SegmentDecodeResult[],
    receivedAt: Date,
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<SegmentResponseDto> {
    const records = new Array<SegmentCallRecord | undefined>(decoded.length);
    let position = -1n;
    for (const run of runsOfKind(decoded)) {
      if (run.kind === 'identify') {
        const linked: LinkResult = await this.commandBus.execute(
          new LinkIdentifiersCommand(run.items),
        );
        run.indexes.forEach((i, k) => (records[i] = { identify: linked.answers[k] }));
        if (linked.position > position) position = linked.position;
        continue;
      }
      const result: RecordTouchpointsResult = await this.commandBus.execute(
        new RecordTouchpointsCommand(run.items, {
          ingestedAt: receivedAt.toISOString(),
          correlationId: request.id,
        }),
      );
      run.indexes.forEach((i, k) => (records[i] = { touchpoint: result.items[k] }));
      if (result.position > position) position = result.position;
    }
    if (position >= 0n) void reply.header(POSITION_HEADER, position.toString());
    const messageIds = calls.map((call) =>
      isObject(call) && typeof call.messageId === 'string' ? call.messageId : undefined,
    );
    return toSegmentResponse(decoded, messageIds, records, position);
  }

  private options(receivedAt: Date) {
    return {
      source: SEGMENT_SOURCE,
      receivedAt,
      identifiers: this.config.identity,
      ...(this.config.segment.defaultCurrency
        ? { defaultCurrency: this.config.segment.defaultCurrency }
        : {}),
    };
  }
}
