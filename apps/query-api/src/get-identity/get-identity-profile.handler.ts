import { QueryBus, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { RecordedEvent } from '@rapport/event-store';
import type { IdentityEvent } from '@rapport/identity';
import { IdentityGraphReader } from '@rapport/recording';
import { GetCustomerViewQuery } from '../get-customer-view/get-customer-view.query';
import {
  GetIdentityProfileQuery,
  type HistoryEntry,
  type IdentityProfile,
} from './get-identity-profile.query';

/**
 * From the event store (the identity graph is not a read model): the identifier's stream
 * names its profile, the graph stream its group and history, the members' indexes their
 * identifiers; the customer view comes from the read store under the group's survivor.
 */
@QueryHandler(GetIdentityProfileQuery)
export class GetIdentityProfileHandler implements IQueryHandler<GetIdentityProfileQuery> {
  constructor(
    private readonly reader: IdentityGraphReader,
    private readonly queryBus: QueryBus,
  ) {}

  async execute(query: GetIdentityProfileQuery): Promise<IdentityProfile | undefined> {
    const group = await this.reader.groupOf(query.identifier);
    if (!group) return undefined;
    const { graph, events, profileId, survivor, members } = group;
    const links = await this.reader.loadProfiles(graph, members);
    const customer = await this.queryBus.execute(new GetCustomerViewQuery(survivor));
    return {
      identifier: query.identifier,
      profileId,
      survivor,
      members,
      identifiers: links
        .map((l) => ({
          type: l.data.identifierType,
          value: l.data.value,
          profileId: l.data.customerId,
          linkedAt: l.data.evidence.occurredAt,
          evidence: l.data.evidence,
          position: l.position,
        }))
        .sort((a, b) => (a.position < b.position ? -1 : 1)),
      history: historyOf(events, new Set(members)),
      ...(customer ? { customer } : {}),
    };
  }
}

/**
 * What concerns the members: merges and refusals naming one of them, and the undos of those
 * merges (an undone merge names profiles that may have left the group since).
 */
function historyOf(
  recorded: readonly RecordedEvent[],
  members: ReadonlySet<string>,
): HistoryEntry[] {
  const merges = new Set<string>();
  const history: HistoryEntry[] = [];
  for (const r of recorded) {
    const event = { type: r.type, data: r.data } as unknown as IdentityEvent;
    switch (event.type) {
      case 'ProfilesMerged':
        if (!event.data.profiles.some((p) => members.has(p))) break;
        merges.add(event.data.mergeId);
        history.push({ event: event.type, ...event.data, position: r.position });
        break;
      case 'MergeUndone':
        if (merges.has(event.data.mergeId))
          history.push({ event: event.type, ...event.data, position: r.position });
        break;
      case 'MergeRefused': {
        if (!event.data.profiles.some((p) => members.has(p))) break;
        const { identifier: _digest, manual: _manual, ...data } = event.data;
        history.push({ event: event.type, ...data, position: r.position });
        break;
      }
      default:
        break;
    }
  }
  return history;
}
