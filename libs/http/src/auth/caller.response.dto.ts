import { ApiProperty } from '@nestjs/swagger';
import { API_ROLES, type ApiRole } from '@rapport/config';

export class CallerResponseDto {
  @ApiProperty({
    description: 'The id of the calling API key (the first 12 hex digits of its SHA-256)',
    example: '3f2a9c0d71be',
  })
  readonly keyId!: string;
  @ApiProperty({ enum: API_ROLES, description: 'The role the key was given', example: 'analyst' })
  readonly role!: ApiRole;
  @ApiProperty({
    enum: API_ROLES,
    isArray: true,
    description: "Every role whose routes the key may call: admin's are all of them",
    example: ['analyst'],
  })
  readonly roles!: ApiRole[];
}
