import { Query } from '@nestjs/cqrs';
import type { Identifier } from '@rapport/domain';
import type { BrokenLimit, IdentifiersEvidence, ManualEvidence } from '@rapport/identity';
import type { CustomerViewResult } from '../get-customer-view/get-customer-view.query';

export interface ProfileIdentifier {
  readonly type: string;
  /** The normalised value (unsealed; gone once the profile is erased). */
  readonly value: string;
  /** The member profile that holds it. */
  readonly profileId: string;
  /** Event time of the touchpoint or identify call that proved it. */
  readonly linkedAt: string;
  readonly evidence: IdentifiersEvidence;
  readonly position: bigint;
}

export type HistoryEntry =
  | {
      readonly event: 'ProfilesMerged';
      readonly mergeId: string;
      readonly profiles: readonly string[];
      readonly rule: string;
      readonly evidence: IdentifiersEvidence | ManualEvidence;
      readonly partOf?: string;
      readonly position: bigint;
    }
  | {
      readonly event: 'MergeUndone';
      readonly mergeId: string;
      readonly by: string;
      readonly reason: string;
      readonly at: string;
      readonly position: bigint;
    }
  | {
      readonly event: 'MergeRefused';
      readonly refusalId: string;
      readonly profiles: readonly string[];
      readonly rule: string;
      readonly limit?: BrokenLimit;
      readonly evidence: IdentifiersEvidence | ManualEvidence;
      readonly position: bigint;
    };

export interface IdentityProfile {
  readonly identifier: Identifier;
  /** The profile that holds the identifier itself. */
  readonly profileId: string;
  /** The profile its group answers under, and every member. */
  readonly survivor: string;
  readonly members: readonly string[];
  readonly identifiers: readonly ProfileIdentifier[];
  /** Merges, undos and refusals that concern a member, in the order they were recorded. */
  readonly history: readonly HistoryEntry[];
  /** The survivor's customer view; undefined while no touchpoint of it has been projected. */
  readonly customer?: CustomerViewResult;
}

/** The profile an identifier names (its value normalised already). */
export class GetIdentityProfileQuery extends Query<IdentityProfile | undefined> {
  constructor(readonly identifier: Identifier) {
    super();
  }
}
