import { foldIdentityGraph, partitionOf } from './identity-graph';
import { DEFAULT_IDENTITY_RULES } from './identity-rules';
import type { IdentityEvent } from './identity.events';
import { decideManualMerge, decideUndo } from './manual-merge';
import { linked, merged } from './testing';

const evidence = {
  by: 'ops-key',
  reason: 'same person (ticket 12)',
  at: '2026-12-01T09:00:00.000Z',
};

function afterAll(events: IdentityEvent[], more: readonly IdentityEvent[]) {
  return foldIdentityGraph([...events, ...more]);
}

describe('merging profiles by hand', () => {
  describe('given two unmerged profiles', () => {
    const given: IdentityEvent[] = [
      linked('profile.anon1', 'anonymousId', 'a-1'),
      linked('C-1', 'email', 'ada@example.com'),
    ];

    it('records one manual merge naming who asked and why, and answers the group', () => {
      const decision = decideManualMerge(
        { profiles: ['profile.anon1', 'C-1'], evidence },
        foldIdentityGraph(given),
        DEFAULT_IDENTITY_RULES,
      );
      expect(decision).toMatchObject({
        ok: true,
        survivor: 'C-1',
        members: ['C-1', 'profile.anon1'],
      });
      if (!decision.ok) throw new Error('refused');
      expect(decision.events).toEqual([
        {
          type: 'ProfilesMerged',
          data: {
            mergeId: decision.mergeId,
            profiles: ['C-1', 'profile.anon1'],
            rule: 'manual',
            evidence,
          },
        },
      ]);
      const graph = afterAll(given, decision.events);
      expect(partitionOf(graph).survivorOf('profile.anon1')).toBe('C-1');
    });

    it('gives the same request the same merge id', () => {
      const graph = foldIdentityGraph(given);
      const a = decideManualMerge(
        { profiles: ['C-1', 'profile.anon1'], evidence },
        graph,
        DEFAULT_IDENTITY_RULES,
      );
      const b = decideManualMerge(
        { profiles: ['profile.anon1', 'C-1'], evidence },
        graph,
        DEFAULT_IDENTITY_RULES,
      );
      expect(a.ok && b.ok && a.mergeId === b.mergeId).toBe(true);
    });
  });

  describe('given three groups', () => {
    it('records one merge per joined group, each part of the request, and undo undoes them all', () => {
      const given = [merged('m0', 'profile.x', 'profile.y')];
      const decision = decideManualMerge(
        { profiles: ['profile.x', 'profile.z', 'profile.w', 'profile.y'], evidence },
        foldIdentityGraph(given),
        DEFAULT_IDENTITY_RULES,
      );
      if (!decision.ok) throw new Error('refused');
      expect(decision.events).toHaveLength(2);
      expect(decision.events.every((e) => e.data.partOf === decision.mergeId)).toBe(true);
      expect(decision.members).toEqual(['profile.w', 'profile.x', 'profile.y', 'profile.z']);

      const graph = afterAll(given, decision.events);
      expect(partitionOf(graph).membersOf('profile.w')).toHaveLength(4);
      const undo = decideUndo({ mergeId: decision.mergeId, ...evidence }, graph);
      if (!undo.ok) throw new Error(undo.code);
      expect(undo.events.map((e) => e.data.mergeId).sort()).toEqual(
        decision.events.map((e) => e.data.mergeId).sort(),
      );
      const after = afterAll([...given, ...decision.events], undo.events);
      // The older rule merge of x and y is not part of the request: it stays.
      expect(partitionOf(after).membersOf('profile.x')).toEqual(['profile.x', 'profile.y']);
      expect(partitionOf(after).survivorOf('profile.z')).toBe('profile.z');
    });
  });

  describe('given profiles already in one group', () => {
    it('is refused as already merged, recording nothing', () => {
      const decision = decideManualMerge(
        { profiles: ['C-1', 'profile.a'], evidence },
        foldIdentityGraph([merged('m1', 'C-1', 'profile.a')]),
        DEFAULT_IDENTITY_RULES,
      );
      expect(decision).toEqual({ ok: false, code: 'PROFILES_ALREADY_MERGED', survivor: 'C-1' });
    });
  });

  describe('given a merge that would break a limit', () => {
    it('is refused with the limit, and the refusal is recorded as a manual MergeRefused', () => {
      const decision = decideManualMerge(
        { profiles: ['C-1', 'C-2'], evidence },
        foldIdentityGraph([]),
        DEFAULT_IDENTITY_RULES,
      );
      expect(decision).toMatchObject({
        ok: false,
        code: 'MERGE_WOULD_BREAK_LIMIT',
        limit: { identifierType: 'customerId', max: 1, would: 2 },
        refusal: {
          type: 'MergeRefused',
          data: { profiles: ['C-1', 'C-2'], rule: 'limit-per-profile', manual: true, evidence },
        },
      });
    });

    it('counts every member of each group', () => {
      const six = [1, 2, 3, 4, 5].map((n) => linked('profile.a', 'email', `a${n}@x.io`));
      const decision = decideManualMerge(
        { profiles: ['profile.a', 'profile.b'], evidence },
        foldIdentityGraph([...six, linked('profile.b', 'email', 'b@x.io')]),
        DEFAULT_IDENTITY_RULES,
      );
      expect(decision).toMatchObject({ ok: false, limit: { identifierType: 'email', would: 6 } });
    });
  });
});

describe('undoing a merge', () => {
  const graph = () => foldIdentityGraph([merged('m1', 'C-1', 'profile.a')]);
  const undo = { by: 'ops-key', reason: 'shared tablet', at: '2026-12-02T00:00:00.000Z' };

  it('records who undid it and why', () => {
    expect(decideUndo({ mergeId: 'm1', ...undo }, graph())).toMatchObject({
      ok: true,
      events: [{ type: 'MergeUndone', data: { mergeId: 'm1', ...undo } }],
    });
  });

  it('refuses an unknown merge and one already undone', () => {
    expect(decideUndo({ mergeId: 'nope', ...undo }, graph())).toEqual({
      ok: false,
      code: 'MERGE_NOT_FOUND',
    });
    const g = graph();
    const first = decideUndo({ mergeId: 'm1', ...undo }, g);
    if (!first.ok) throw new Error(first.code);
    const after = afterAll([merged('m1', 'C-1', 'profile.a')], first.events);
    expect(decideUndo({ mergeId: 'm1', ...undo }, after)).toEqual({
      ok: false,
      code: 'MERGE_ALREADY_UNDONE',
    });
  });
});
