import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { IdentityGraphReader } from '@rapport/recording';
import { FindProfileMembersQuery } from './find-profile-members.query';

@QueryHandler(FindProfileMembersQuery)
export class FindProfileMembersHandler implements IQueryHandler<FindProfileMembersQuery> {
  constructor(private readonly reader: IdentityGraphReader) {}

  async execute(query: FindProfileMembersQuery): Promise<readonly string[]> {
    return (await this.reader.groupOf(query.identifier))?.members ?? [];
  }
}
