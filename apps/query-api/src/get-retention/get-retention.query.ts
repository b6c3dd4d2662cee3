import { Query } from '@nestjs/cqrs';
import type { CohortRetentionTable, RetentionRates } from '@rapport/analytics';

export interface RetentionResult extends RetentionRates {
  readonly asOf: string;
  readonly cohorts: CohortRetentionTable;
}

export class GetRetentionQuery extends Query<RetentionResult> {
  constructor(
    readonly asOf?: string,
    /** Read-your-writes: the position the answer must include. */
    readonly minPosition?: bigint,
  ) {
    super();
  }
}
