import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CustomerViewDto } from '../shared/customer-view.response.dto';
import type { HistoryEntry, IdentityProfile } from './get-identity-profile.query';

const EVIDENCE = {
  type: 'object',
  description:
    'The touchpoint that proved it ({source, touchpointId, occurredAt}), a Segment identify call ' +
    '({source, call: "identify", messageId, occurredAt}) or, by hand, who asked and why ({by, reason, at})',
  additionalProperties: true,
} as const;

export class IdentifierDto {
  @ApiProperty({ example: 'email' }) readonly type!: string;
  @ApiProperty({
    example: 'ada@example.com',
    description: 'Normalised value ("(erased)" once erased)',
  })
  readonly value!: string;
  @ApiProperty({ description: 'The member profile that holds it' }) readonly profileId!: string;
  @ApiProperty({ description: 'Event time of the touchpoint or identify call that proved it' })
  readonly linkedAt!: string;
  @ApiProperty(EVIDENCE) readonly evidence!: Record<string, unknown>;
  @ApiProperty({ description: 'Global position of the link event' }) readonly position!: string;
}

export class IdentityHistoryEntryDto {
  @ApiProperty({ enum: ['ProfilesMerged', 'MergeUndone', 'MergeRefused'] })
  readonly event!: string;
  @ApiPropertyOptional({ description: 'ProfilesMerged and MergeUndone' }) readonly mergeId?: string;
  @ApiPropertyOptional({ description: 'MergeRefused' }) readonly refusalId?: string;
  @ApiPropertyOptional({ type: [String] }) readonly profiles?: string[];
  @ApiPropertyOptional({
    description:
      'identifier:<type> or manual (merges); type-may-not-merge or limit-per-profile (refusals)',
  })
  readonly rule?: string;
  @ApiPropertyOptional({ ...EVIDENCE }) readonly evidence?: Record<string, unknown>;
  @ApiPropertyOptional({ description: 'The manual request a part of a several-profile merge' })
  readonly partOf?: string;
  @ApiPropertyOptional({ description: 'The limit a refused merge or link would have broken' })
  readonly limit?: Record<string, unknown>;
  @ApiPropertyOptional({ description: 'MergeUndone: the API key that undid it' })
  readonly by?: string;
  @ApiPropertyOptional({ description: 'MergeUndone: why' }) readonly reason?: string;
  @ApiPropertyOptional({ description: 'MergeUndone: when it was asked' }) readonly at?: string;
  @ApiProperty() readonly position!: string;
}

export class IdentityProfileResponseDto {
  @ApiProperty({ example: { type: 'email', value: 'ada@example.com' } })
  readonly identifier!: { type: string; value: string };
  @ApiProperty({ description: 'The profile that holds the identifier itself' })
  readonly profileId!: string;
  @ApiProperty({ example: 'C-1001', description: "The profile the group's views answer under" })
  readonly survivor!: string;
  @ApiProperty({ type: [String], description: 'Every profile of the group, in id order' })
  readonly members!: string[];
  @ApiProperty({ type: [IdentifierDto] }) readonly identifiers!: IdentifierDto[];
  @ApiProperty({
    type: [IdentityHistoryEntryDto],
    description: 'Merges, undos and refusals concerning a member, in the order recorded',
  })
  readonly history!: IdentityHistoryEntryDto[];
  @ApiProperty({
    type: CustomerViewDto,
    nullable: true,
    description: "The survivor's customer view (null until a touchpoint of it is projected)",
  })
  readonly customer!: Record<string, unknown> | null;
}

/** The JSON answer: positions as strings (bigint), the view as GET /v1/customers/{id} answers it. */
export function toIdentityProfileResponse(profile: IdentityProfile): IdentityProfileResponseDto {
  const customer = profile.customer;
  return {
    identifier: { ...profile.identifier },
    profileId: profile.profileId,
    survivor: profile.survivor,
    members: [...profile.members],
    identifiers: profile.identifiers.map((i) => ({
      ...i,
      evidence: { ...i.evidence },
      position: i.position.toString(),
    })),
    history: profile.history.map(historyEntry),
    customer: customer
      ? {
          ...customer.view,
          position: customer.position.toString(),
          insights: customer.insights,
        }
      : null,
  };
}

function historyEntry(entry: HistoryEntry): IdentityHistoryEntryDto {
  return JSON.parse(
    JSON.stringify(entry, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)),
  ) as IdentityHistoryEntryDto;
}
