import fc from 'fast-check';
import {
  evolveIdentityGraph,
  foldIdentityGraph,
  initialIdentityGraph,
  partitionOf,
  type IdentityGraph,
} from './identity-graph';
import type { IdentityEvent } from './identity.events';
import { derivedProfileId } from './identity.streams';
import { linked, merged, undone } from './testing';

const PROFILES = [
  'C-1',
  'C-2',
  'C-3',
  derivedProfileId('a'),
  derivedProfileId('b'),
  derivedProfileId('c'),
];
const profile = fc.constantFrom(...PROFILES);

/** Links (one per identifier, as the reservation guarantees), merges and undos of some of them. */
const graphEvents = fc
  .tuple(
    fc.uniqueArray(
      fc.tuple(
        fc.constantFrom('email', 'anonymousId', 'phone'),
        fc.string({ minLength: 1, maxLength: 4 }),
        profile,
      ),
      {
        selector: ([type, value]) => `${type}:${value}`,
        maxLength: 12,
      },
    ),
    fc.array(fc.tuple(profile, profile), { maxLength: 8 }),
    fc.array(fc.nat(), { maxLength: 4 }),
  )
  .map(([links, pairs, undos]) => {
    const events: IdentityEvent[] = links.map(([type, value, p]) => linked(p, type, value));
    const merges = pairs.map(([a, b], i) => merged(`m${i}`, a, b));
    events.push(...merges);
    if (merges.length) events.push(...undos.map((n) => undone(`m${n % merges.length}`)));
    return events;
  });

/** What a partition says about every profile: its survivor and its group. */
function described(graph: IdentityGraph) {
  const partition = partitionOf(graph);
  return PROFILES.map((p) => [
    p,
    partition.survivorOf(p),
    partition.membersOf(partition.survivorOf(p)),
  ]);
}

function linksOf(graph: IdentityGraph) {
  return [...graph.links].sort(([a], [b]) => (a < b ? -1 : 1));
}

describe('the identity partition', () => {
  it('is the same whatever order the graph events are folded in', () => {
    fc.assert(
      fc.property(
        graphEvents.chain((events) =>
          fc.tuple(fc.constant(events), fc.shuffledSubarray(events, { minLength: events.length })),
        ),
        ([events, shuffled]) => {
          const inOrder = foldIdentityGraph(events);
          const anyOrder = foldIdentityGraph(shuffled);
          expect(described(anyOrder)).toEqual(described(inOrder));
          expect(linksOf(anyOrder)).toEqual(linksOf(inOrder));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('after a merge and its undo, is what it was had the merge never happened', () => {
    fc.assert(
      fc.property(graphEvents, profile, profile, (events, a, b) => {
        const never = foldIdentityGraph(events);
        const mergedThenUndone = foldIdentityGraph([
          ...events,
          merged('wrong', a, b),
          undone('wrong'),
        ]);
        expect(described(mergedThenUndone)).toEqual(described(never));
      }),
      { numRuns: 300 },
    );
  });

  it('folded live (asking the partition between events) equals a replay from the start', () => {
    fc.assert(
      fc.property(graphEvents, (events) => {
        const live = initialIdentityGraph();
        for (const event of events) {
          evolveIdentityGraph(live, event);
          partitionOf(live);
        }
        const replayed = foldIdentityGraph(events);
        expect(described(live)).toEqual(described(replayed));
        // Merges join the cached partition's groups in place: the same groups as from scratch.
        expect(new Map(partitionOf(live).groups)).toEqual(new Map(partitionOf(replayed).groups));
      }),
      { numRuns: 300 },
    );
  });

  it('picks a named customer as survivor over derived profiles, then the smallest id', () => {
    const graph = foldIdentityGraph([
      merged('m1', derivedProfileId('a'), 'C-2'),
      merged('m2', 'C-2', derivedProfileId('0')),
    ]);
    expect(partitionOf(graph).survivorOf(derivedProfileId('0'))).toBe('C-2');
  });
});
