import { ApiProperty } from '@nestjs/swagger';
import { CUSTOMER_ID_PATTERN } from '@rapport/contract';
import type { ProblemError } from '@rapport/http/problems';

export const MAX_PROFILES_PER_MERGE = 20;
const MAX_REASON = 500;

export class MergeProfilesRequestDto {
  @ApiProperty({
    type: [String],
    minItems: 2,
    maxItems: MAX_PROFILES_PER_MERGE,
    example: ['C-1001', 'profile.3f1c0a9e5b7d4c2a8e6f1b0d9c7a5e3f'],
    description:
      'Customer ids or derived profile ids; each joins with its whole group (profiles it was merged with before)',
  })
  readonly profiles!: string[];
  @ApiProperty({
    example: 'Same person: confirmed by phone (ticket 4711)',
    description: 'Why (1–500 characters), kept in the merge event; no personal data',
  })
  readonly reason!: string;
}

export class UndoMergeRequestDto {
  @ApiProperty({
    example: 'Shared family tablet, two people',
    description: 'Why (1–500 characters), kept in the undo event; no personal data',
  })
  readonly reason!: string;
}

export class MergeProfilesResponseDto {
  @ApiProperty({ description: 'Undo it with POST /v1/identities/merges/{mergeId}/undo' })
  readonly mergeId!: string;
  @ApiProperty({ example: 'C-1001', description: "The profile the group's views answer under" })
  readonly survivor!: string;
  @ApiProperty({ type: [String], description: 'Every profile of the group, in id order' })
  readonly members!: string[];
  @ApiProperty({ description: 'Pass as X-Min-Position to read the merged views' })
  readonly position!: string;
}

export class ProfileAfterUndoDto {
  @ApiProperty() readonly profileId!: string;
  @ApiProperty({ description: 'The group it belongs to now (itself when it stands alone)' })
  readonly survivor!: string;
}

export class UndoMergeResponseDto {
  @ApiProperty() readonly mergeId!: string;
  @ApiProperty({
    type: [String],
    description:
      'The merges undone: the one asked, or every part of a manual merge of several profiles',
  })
  readonly undone!: string[];
  @ApiProperty({ type: [ProfileAfterUndoDto] })
  readonly profiles!: ProfileAfterUndoDto[];
  @ApiProperty({ description: 'Pass as X-Min-Position to read the views after the undo' })
  readonly position!: string;
}

export type Decoded<T> = { ok: true; value: T } | { ok: false; errors: ProblemError[] };

/** The body of a manual merge, every problem named with its path. */
export function decodeMergeBody(body: unknown): Decoded<{ profiles: string[]; reason: string }> {
  const errors: ProblemError[] = [];
  const object = isObject(body) ? body : {};
  if (!isObject(body)) errors.push({ path: '', message: 'must be a JSON object' });
  const unknown = Object.keys(object).filter((k) => k !== 'profiles' && k !== 'reason');
  for (const key of unknown) errors.push({ path: key, message: 'is not a known field' });
  const profiles = object.profiles;
  if (!Array.isArray(profiles) || profiles.length < 2 || profiles.length > MAX_PROFILES_PER_MERGE) {
    errors.push({
      path: 'profiles',
      message: `must be an array of 2–${MAX_PROFILES_PER_MERGE} customer or profile ids`,
    });
  } else {
    profiles.forEach((p: unknown, i) => {
      if (typeof p !== 'string' || !CUSTOMER_ID_PATTERN.test(p))
        errors.push({
          path: `profiles[${i}]`,
          message: 'must be 1–128 of A–Z a–z 0–9 . _ : @ - starting with a letter or digit',
        });
    });
    if (errors.length === 0 && new Set(profiles).size !== profiles.length)
      errors.push({ path: 'profiles', message: 'names a profile twice' });
  }
  errors.push(...reasonProblems(object.reason));
  return errors.length
    ? { ok: false, errors }
    : { ok: true, value: { profiles: profiles as string[], reason: object.reason as string } };
}

export function decodeUndoBody(body: unknown): Decoded<{ reason: string }> {
  if (!isObject(body))
    return { ok: false, errors: [{ path: '', message: 'must be a JSON object' }] };
  const errors = Object.keys(body)
    .filter((k) => k !== 'reason')
    .map((path) => ({ path, message: 'is not a known field' }));
  errors.push(...reasonProblems(body.reason));
  return errors.length
    ? { ok: false, errors }
    : { ok: true, value: { reason: body.reason as string } };
}

function reasonProblems(reason: unknown): ProblemError[] {
  return typeof reason === 'string' && reason.trim().length > 0 && reason.length <= MAX_REASON
    ? []
    : [{ path: 'reason', message: `required: 1–${MAX_REASON} characters (no personal data)` }];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
