import { Query } from '@nestjs/cqrs';
import type { Identifier } from '@rapport/domain';

/** Every member profile of the group an identifier names (empty when none holds it). */
export class FindProfileMembersQuery extends Query<readonly string[]> {
  constructor(readonly identifier: Identifier) {
    super();
  }
}
