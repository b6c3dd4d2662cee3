import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { ProblemDetails, ProblemError } from '../problem-details';

export class ProblemErrorDto implements ProblemError {
  @ApiPropertyOptional({ description: 'Index of the item, when the body is an array', example: 1 })
  index?: number;

  @ApiProperty({
    description: 'Dotted path of the field, or the name of a query parameter',
    example: 'data.amount.minor',
  })
  path!: string;

  @ApiProperty({ example: 'minor must be an integer number' })
  message!: string;
}

/** RFC 9457 problem details, as every error of the API is answered. */
export class ProblemDetailsDto implements ProblemDetails {
  @ApiProperty({ example: 'https://rapport.dev/problems/invalid-request' })
  type!: string;

  @ApiProperty({ example: 'Invalid request' })
  title!: string;

  @ApiProperty({ example: 400 })
  status!: number;

  @ApiPropertyOptional({ example: 'the touchpoint breaks the contract; nothing was recorded' })
  detail?: string;

  @ApiPropertyOptional({ description: 'The request path', example: '/v1/touchpoints' })
  instance?: string;

  @ApiPropertyOptional({ description: 'Stable machine-readable code', example: 'INVALID_REQUEST' })
  code?: string;

  @ApiPropertyOptional({ type: [ProblemErrorDto], description: 'Every field that is wrong' })
  errors?: ProblemErrorDto[];

  @ApiPropertyOptional({
    description: '503 while waiting for a position: the position the projector has reached',
    example: '41',
  })
  position?: string;

  @ApiPropertyOptional({
    description: 'Readiness: the outcome of every check',
    type: 'object',
    additionalProperties: true,
  })
  checks?: Record<string, unknown>;
}
