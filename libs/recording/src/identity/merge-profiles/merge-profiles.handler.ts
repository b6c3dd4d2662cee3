import { Inject, Optional } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EVENT_STORE, type EventStore } from '@rapport/event-store';
import {
  DEFAULT_IDENTITY_RULES,
  decideManualMerge,
  partitionOf,
  type IdentityRules,
} from '@rapport/identity';
import { IdentityGraphReader } from '../identity-graph.reader';
import { IDENTITY_RULES } from '../identity-resolver';
import { appendToGraph, GRAPH_ATTEMPTS } from './graph-stream.appender';
import {
  GraphRetriesExhaustedError,
  MergeWouldBreakLimitError,
  ProfileNotFoundError,
  ProfilesAlreadyMergedError,
} from './identity-merge.errors';
import { MergeProfilesCommand, type MergeProfilesResult } from './merge-profiles.command';

/**
 * Reads the graph and every identifier of the groups involved, decides (libs/identity), and
 * appends at the graph revision decided on; when another writer moved the graph, decides
 * again. A refusal for a limit is recorded before it is answered.
 */
@CommandHandler(MergeProfilesCommand)
export class MergeProfilesHandler implements ICommandHandler<MergeProfilesCommand> {
  private readonly rules: IdentityRules;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly reader: IdentityGraphReader,
    @Optional() @Inject(IDENTITY_RULES) rules?: IdentityRules,
  ) {
    this.rules = rules ?? DEFAULT_IDENTITY_RULES;
  }

  async execute(command: MergeProfilesCommand): Promise<MergeProfilesResult> {
    const known = await Promise.all(command.profiles.map((p) => this.reader.exists(p)));
    const unknown = command.profiles.filter((_, i) => !known[i]);
    if (unknown.length) throw new ProfileNotFoundError(unknown);
    const evidence = { by: command.by, reason: command.reason, at: command.at };

    for (let attempt = 0; attempt < GRAPH_ATTEMPTS; attempt++) {
      const { graph, revision } = await this.reader.graphAt();
      const partition = partitionOf(graph);
      const members = command.profiles.flatMap((p) => partition.membersOf(partition.survivorOf(p)));
      await this.reader.loadProfiles(graph, members);
      const decision = decideManualMerge(
        { profiles: command.profiles, evidence },
        graph,
        this.rules,
      );
      if (!decision.ok && decision.code === 'PROFILES_ALREADY_MERGED')
        throw new ProfilesAlreadyMergedError(decision.survivor);
      const position = await appendToGraph(
        this.store,
        revision,
        decision.ok ? decision.events : [decision.refusal],
      );
      if (position === undefined) continue;
      if (!decision.ok)
        throw new MergeWouldBreakLimitError(
          decision.limit,
          decision.refusal.data.refusalId,
          position,
        );
      const { mergeId, survivor } = decision;
      return { mergeId, survivor, members: decision.members, position };
    }
    throw new GraphRetriesExhaustedError(GRAPH_ATTEMPTS);
  }
}
