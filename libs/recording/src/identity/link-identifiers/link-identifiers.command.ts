import { Command } from '@nestjs/cqrs';
import type { IdentifyCall } from '@rapport/identity';
import type { LinkResult } from '../identity-recorded';

export type { LinkAnswer, LinkResult } from '../identity-recorded';

/**
 * Link the identifiers of identify calls (Segment's `identify`) to one profile each, through
 * the same resolution as touchpoints' identifiers: links reserved per identifier stream,
 * merges where the rules allow, refusals recorded. No touchpoint is recorded.
 */
export class LinkIdentifiersCommand extends Command<LinkResult> {
  constructor(readonly calls: readonly IdentifyCall[]) {
    super();
  }
}
