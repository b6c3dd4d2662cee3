import { IsArray, IsIn, IsISO8601, IsObject, IsOptional, IsString, Matches } from 'class-validator';
import { CHANNELS, TOUCHPOINT_TYPES } from '@rapport/domain';

/**
 * Customer ids become stream names and Redis keys (inside a `{…}` hash tag), so braces,
 * whitespace, glob characters and slashes are refused at the edge.
 */
export const CUSTOMER_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$/;
export const SOURCE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
export const TOUCHPOINT_ID_PATTERN = /^[\x21-\x7e]{1,200}$/;
/** ISO 8601 date-time with an explicit zone: a local time without offset is ambiguous. */
export const ZONED_DATE_TIME =
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
export const TOUCHPOINT_ID_RULE =
  'touchpointId must be 1–200 printable ASCII characters without spaces';
export const CUSTOMER_ID_RULE =
  'customerId must be 1–128 of A–Z a–z 0–9 . _ : @ - starting with a letter or digit';
export const OCCURRED_AT_RULE = 'occurredAt must be an ISO 8601 date-time with Z or an offset';

/** The envelope of a touchpoint message; `data` is checked against its type's shape. */
export class TouchpointRequestDto {
  @IsString()
  @Matches(TOUCHPOINT_ID_PATTERN, { message: TOUCHPOINT_ID_RULE })
  touchpointId!: string;

  @IsString()
  @Matches(SOURCE_PATTERN, {
    message: 'source must be 1–64 of A–Z a–z 0–9 . _ - starting with a letter or digit',
  })
  source!: string;

  /** Optional when `identifiers` name the customer (decodeIdentity requires one of the two). */
  @IsOptional()
  @IsString()
  @Matches(CUSTOMER_ID_PATTERN, { message: CUSTOMER_ID_RULE })
  customerId?: string;

  /** `{ type, value }` items, checked and normalised item by item by decodeIdentity. */
  @IsOptional()
  @IsArray({ message: 'identifiers must be an array of { "type", "value" } objects' })
  identifiers?: unknown[];

  @IsIn(TOUCHPOINT_TYPES, { message: `type must be one of: ${TOUCHPOINT_TYPES.join(', ')}` })
  type!: string;

  @IsString()
  @Matches(ZONED_DATE_TIME, { message: OCCURRED_AT_RULE })
  @IsISO8601({ strict: true }, { message: 'occurredAt must be a valid calendar date-time' })
  occurredAt!: string;

  @IsIn(CHANNELS, { message: `channel must be one of: ${CHANNELS.join(', ')}` })
  channel!: string;

  @IsObject({ message: 'data must be an object' })
  data!: Record<string, unknown>;
}
