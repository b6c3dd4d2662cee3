// class-transformer's @Type reads design-time metadata.
import 'reflect-metadata';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsDefined,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  isISO4217CurrencyCode,
  Length,
  Max,
  Min,
  ValidateBy,
  ValidateNested,
} from 'class-validator';
import { COMPLAINT_SEVERITIES, DIRECTIONS, EMAIL_ACTIONS } from '@rapport/domain';

/** Identifiers chosen by channel systems: printable, no whitespace. */
const ID_LENGTH = [1, 128] as const;
const TEXT_LENGTH = [1, 500] as const;
const MAX_DURATION_SECONDS = 7 * 24 * 3600;

/**
 * An ISO 4217 code as the standard writes it. validator.js upper-cases before its lookup, so
 * "eur" used to pass and become a currency of its own: totals are keyed by the code, so its
 * revenue missed the EUR tiers and an "EUR" cancellation of an "eur" order was refused.
 */
function IsCurrencyCode() {
  return ValidateBy({
    name: 'isCurrencyCode',
    validator: {
      validate: (value: unknown) =>
        typeof value === 'string' && /^[A-Z]{3}$/.test(value) && isISO4217CurrencyCode(value),
      defaultMessage: () => 'currency must be an upper-case ISO 4217 code such as EUR',
    },
  });
}

const MINOR_UNITS = {
  message: 'minor must be an integer number of minor units (4999 for 49.99 EUR), not a decimal',
};

export class MoneyDto {
  @IsInt(MINOR_UNITS) @Min(0) @Max(Number.MAX_SAFE_INTEGER) minor!: number;
  @IsCurrencyCode() currency!: string;
}

/**
 * What a cancellation takes back: at least one minor unit. A cancellation of nothing records
 * no refund, yet it used to mark the order cancelled and so refuse every later refund of it.
 */
export class CancelledMoneyDto {
  @IsInt(MINOR_UNITS)
  @Min(1, { message: 'minor must be at least 1: leave amount out to cancel the whole order' })
  @Max(Number.MAX_SAFE_INTEGER)
  minor!: number;
  @IsCurrencyCode() currency!: string;
}

export class WebVisitDataDto {
  @IsString() @Length(1, 2048) url!: string;
  @IsOptional() @IsString() @Length(1, 2048) referrer?: string;
  @IsOptional() @IsString() @Length(...ID_LENGTH) sessionId?: string;
  @IsOptional() @IsInt() @Min(0) @Max(MAX_DURATION_SECONDS) durationSeconds?: number;
}

export class CallDataDto {
  @IsIn(DIRECTIONS) direction!: string;
  @IsInt() @Min(0) @Max(MAX_DURATION_SECONDS) durationSeconds!: number;
  @IsOptional() @IsString() @Length(...TEXT_LENGTH) reason?: string;
  @IsOptional() @IsString() @Length(...TEXT_LENGTH) outcome?: string;
}

export class EmailDataDto {
  @IsIn(DIRECTIONS) direction!: string;
  @IsIn(EMAIL_ACTIONS) action!: string;
  @IsOptional() @IsString() @Length(...ID_LENGTH) campaignId?: string;
}

export class OrderItemDto {
  @IsString() @Length(...ID_LENGTH) sku!: string;
  @IsInt() @Min(1) @Max(1_000_000) quantity!: number;
  @IsOptional() @ValidateNested() @Type(() => MoneyDto) unitPrice?: MoneyDto;
}

export class PurchaseDataDto {
  @IsString() @Length(...ID_LENGTH) orderId!: string;
  // @ValidateNested alone lets a missing amount through; the read side needs one.
  @IsDefined() @ValidateNested() @Type(() => MoneyDto) amount!: MoneyDto;
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => OrderItemDto)
  items?: OrderItemDto[];
}

export class CancellationDataDto {
  @IsString() @Length(...ID_LENGTH) orderId!: string;
  @IsOptional() @ValidateNested() @Type(() => CancelledMoneyDto) amount?: CancelledMoneyDto;
  @IsOptional() @IsString() @Length(...TEXT_LENGTH) reason?: string;
}

export class ComplaintDataDto {
  @IsString() @Length(...ID_LENGTH) complaintId!: string;
  @IsString() @Length(1, 100) category!: string;
  @IsOptional() @IsIn(COMPLAINT_SEVERITIES) severity?: string;
}

export class ComplaintResolvedDataDto {
  @IsString() @Length(...ID_LENGTH) complaintId!: string;
  @IsOptional() @IsString() @Length(...TEXT_LENGTH) resolution?: string;
}
