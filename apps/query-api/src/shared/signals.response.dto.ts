import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { SIGNAL_RULES } from '@rapport/signals';

class MoneyDto {
  @ApiProperty({ description: 'Integer minor units', example: 4999 })
  readonly minor!: number;
  @ApiProperty({ example: 'EUR' })
  readonly currency!: string;
}

class SignalSubjectDto {
  @ApiProperty({
    enum: ['customer'],
    description: "Today 'customer'; 'profile' once identity resolution lands",
  })
  readonly kind!: string;
  @ApiProperty({ example: 'C-1001' })
  readonly id!: string;
}

class EvidenceEventDto {
  @ApiProperty({ example: '0b5e1e52-7c1e-5c2e-9d55-2f8b1f3c9a10' })
  readonly eventId!: string;
  @ApiProperty({ example: 'PurchaseCompleted' })
  readonly type!: string;
  @ApiProperty({ example: '2026-11-20T14:03:00.000Z' })
  readonly occurredAt!: string;
  @ApiProperty({
    type: String,
    nullable: true,
    example: '1042',
    description: "The event's global position in the store (decimal)",
  })
  readonly position!: string | null;
}

class EvidenceInstantDto {
  @ApiProperty({
    example: '2026-11-20T00:00:00.000Z',
    description:
      'The event-time instant (a window boundary) the population was evaluated as of',
  })
  readonly asOf!: string;
}

class SignalEvidenceDto {
  @ApiProperty({ type: [EvidenceEventDto] })
  readonly events!: EvidenceEventDto[];
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: { purchaseNumber: 1, amountMinor: 4999, currency: 'EUR' },
  })
  readonly figures!: Record<string, number | string>;
  @ApiPropertyOptional({
    type: EvidenceInstantDto,
    description: 'tier-move and win-back: the instant their tiers and risks were computed as of',
  })
  readonly snapshot?: EvidenceInstantDto;
}

export class SignalDto {
  @ApiProperty({ description: 'Deterministic (UUID v5): the same on every redelivery' })
  readonly id!: string;
  @ApiProperty({ enum: SIGNAL_RULES })
  readonly rule!: string;
  @ApiProperty({ example: 1 })
  readonly ruleVersion!: number;
  @ApiProperty({ example: 'first-purchase' })
  readonly trigger!: string;
  @ApiProperty({ type: SignalSubjectDto })
  readonly subject!: SignalSubjectDto;
  @ApiProperty({ example: 'First purchase: order O-55 of 49.99 EUR.' })
  readonly reason!: string;
  @ApiProperty({ type: SignalEvidenceDto })
  readonly evidence!: SignalEvidenceDto;
  @ApiProperty({ type: MoneyDto, nullable: true })
  readonly valueAtStake!: MoneyDto | null;
  @ApiProperty({ example: 'Send a personal welcome and thank-you for the first order.' })
  readonly suggestedAction!: string;
  @ApiProperty({ example: '2026-11-20T14:03:00.000Z' })
  readonly dueAt!: string;
  @ApiProperty({ example: '2026-12-04T14:03:00.000Z' })
  readonly expiresAt!: string;
  @ApiProperty({ enum: ['pending', 'published'], description: 'Acknowledged by Kafka or not yet' })
  readonly status!: string;
  @ApiProperty({ description: 'Event-store position it was derived at', example: '42' })
  readonly derivedAtPosition!: string;
}

export class SignalsResponseDto {
  @ApiProperty({ type: [SignalDto], description: 'In the order they were derived' })
  readonly items!: SignalDto[];
  @ApiPropertyOptional({ description: 'Pass as cursor for the next page; absent on the last' })
  readonly nextCursor?: string;
}
