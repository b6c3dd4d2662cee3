import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { LinkResult } from '../identity-recorded';
import { IdentityResolver } from '../identity-resolver';
import { LinkIdentifiersCommand } from './link-identifiers.command';

@CommandHandler(LinkIdentifiersCommand)
export class LinkIdentifiersHandler implements ICommandHandler<LinkIdentifiersCommand> {
  constructor(private readonly identities: IdentityResolver) {}

  execute({ calls }: LinkIdentifiersCommand): Promise<LinkResult> {
    return this.identities.link(calls);
  }
}
