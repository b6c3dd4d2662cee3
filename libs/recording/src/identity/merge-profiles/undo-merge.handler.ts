import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EVENT_STORE, type EventStore } from '@rapport/event-store';
import { decideUndo, evolveIdentityGraph, partitionOf } from '@rapport/identity';
import { IdentityGraphReader } from '../identity-graph.reader';
import { appendToGraph, GRAPH_ATTEMPTS } from './graph-stream.appender';
import {
  GraphRetriesExhaustedError,
  MergeAlreadyUndoneError,
  MergeNotFoundError,
} from './identity-merge.errors';
import { UndoMergeCommand, type UndoMergeResult } from './undo-merge.command';

/** Decides the undo on the graph as stored and appends it at the revision decided on. */
@CommandHandler(UndoMergeCommand)
export class UndoMergeHandler implements ICommandHandler<UndoMergeCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly reader: IdentityGraphReader,
  ) {}

  async execute(command: UndoMergeCommand): Promise<UndoMergeResult> {
    for (let attempt = 0; attempt < GRAPH_ATTEMPTS; attempt++) {
      const { graph, revision } = await this.reader.graphAt();
      const decision = decideUndo(command, graph);
      if (!decision.ok) {
        if (decision.code === 'MERGE_NOT_FOUND') throw new MergeNotFoundError(command.mergeId);
        throw new MergeAlreadyUndoneError(command.mergeId);
      }
      const position = await appendToGraph(this.store, revision, decision.events);
      if (position === undefined) continue;
      for (const event of decision.events) evolveIdentityGraph(graph, event);
      const partition = partitionOf(graph);
      const profiles = [...new Set(decision.undone.flatMap((m) => m.profiles))].sort();
      return {
        mergeId: command.mergeId,
        undone: decision.undone.map((m) => m.mergeId),
        profiles: profiles.map((profileId) => ({
          profileId,
          survivor: partition.survivorOf(profileId),
        })),
        position,
      };
    }
    throw new GraphRetriesExhaustedError(GRAPH_ATTEMPTS);
  }
}
