import { Controller, Get, HttpCode, Post } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblemResponses, MinPosition, Roles, ValidatedQuery } from '@rapport/http';
import { periodStartInstant } from '@rapport/analytics';
import { asOfOf } from '../shared/as-of.request.dto';
import {
  FitChurnModelCommand,
  GetChurnModelQuery,
  type ChurnModelResult,
} from './churn-model.queries';
import { FitChurnModelRequestDto } from './fit-churn-model.request.dto';

const MODEL_EXAMPLE = {
  asOf: '2026-11-27T12:00:00.000Z',
  fit: {
    params: { r: 0.78, alpha: 5.9, a: 0.71, b: 2.6 },
    unit: 'weeks',
    logLikelihood: -41_822.7,
    iterations: 21,
    converged: true,
    customers: 14_210,
    distinctTriples: 9_112,
  },
  customers: 14_210,
  fittedAt: '2026-11-27T12:00:01.204Z',
  current: true,
  spendFit: {
    params: { p: 6.1, q: 3.9, gamma: 1_540 },
    logLikelihood: -61_204.3,
    iterations: 14,
    converged: true,
    customers: 6_880,
    frequencySpendCorrelation: 0.04,
    meanSpend: 3_239.6,
  },
  modelCheck: {
    asOf: '2026-11-27T23:59:59.999Z',
    unit: 'weeks',
    holdout: {
      holdoutFrom: '2026-07-01T00:00:00.000Z',
      calibrationEnd: '2026-06-30T23:59:59.999Z',
      table: {
        holdoutLength: 21.57,
        rows: [
          {
            calibrationRepeats: '0',
            customers: 7_310,
            actual: 1_120,
            predicted: 1_164.2,
            actualMean: 0.153,
            predictedMean: 0.159,
          },
          {
            calibrationRepeats: '7+',
            customers: 402,
            actual: 1_530,
            predicted: 1_488.9,
            actualMean: 3.81,
            predictedMean: 3.7,
          },
        ],
        total: { customers: 14_210, actual: 6_950, predicted: 7_012.4 },
      },
    },
  },
};

@ApiTags('model')
@Roles('analyst')
@Controller('v1/model')
export class ChurnModelHttpController {
  constructor(
    private readonly queryBus: QueryBus,
    private readonly commandBus: CommandBus,
  ) {}

  @Get()
  @ApiOperation({
    summary:
      'The BG/NBD and spend (Gamma-Gamma) fits the insights use: parameters, log-likelihoods, customers seen, ' +
      'the frequency-spend correlation, and the latest calibration/holdout check',
  })
  @ApiOkResponse({
    description: 'The current fit',
    schema: { type: 'object', example: MODEL_EXAMPLE },
  })
  @ApiProblemResponses(503)
  async current(@MinPosition() minPosition?: bigint): Promise<ChurnModelResult> {
    return this.queryBus.execute(new GetChurnModelQuery(minPosition));
  }

  @Post('fit')
  @Roles('admin')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Refit the churn model now',
    description:
      'Without parameters: recompute all insights as of now and make them current. With asOf (only purchases up to it count) ' +
      'or unit: fit and answer, leaving the current insights as they are.',
  })
  @ApiOkResponse({ description: 'The new fit', schema: { type: 'object', example: MODEL_EXAMPLE } })
  @ApiProblemResponses(400)
  async fit(@ValidatedQuery() query: FitChurnModelRequestDto): Promise<ChurnModelResult> {
    return this.commandBus.execute(
      new FitChurnModelCommand(
        asOfOf(query),
        query.unit,
        query.holdoutFrom === undefined ? undefined : periodStartInstant(query.holdoutFrom),
      ),
    );
  }
}
