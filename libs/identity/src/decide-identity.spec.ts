import { decideIdentityStep, isSettled, type IdentityQuestion } from './decide-identity';
import {
  evolveIdentityGraph,
  foldIdentityGraph,
  partitionOf,
  type IdentityGraph,
} from './identity-graph';
import { DEFAULT_IDENTITY_RULES, type IdentityRules } from './identity-rules';
import type { IdentityEvent } from './identity.events';
import { derivedProfileId } from './identity.streams';
import { digested, linked, question } from './testing';

/** Asks step after step, folding in what each records, as the write path does. */
function resolve(
  q: IdentityQuestion,
  graph: IdentityGraph,
  rules: IdentityRules = DEFAULT_IDENTITY_RULES,
) {
  const recorded: IdentityEvent[] = [];
  for (
    let step = decideIdentityStep(q, graph, rules);
    ;
    step = decideIdentityStep(q, graph, rules)
  ) {
    if (isSettled(step)) return { profileId: step.profileId, recorded };
    for (const event of [...step.links, ...step.graphEvents]) {
      recorded.push(event);
      evolveIdentityGraph(graph, event);
    }
  }
}

const email = digested('email', 'ada@example.com');
const anon = digested('anonymousId', 'a-1');
const tablet = digested('anonymousId', 'family-tablet');

describe('deciding who a touchpoint is about', () => {
  describe('given no identifier is known', () => {
    it('lands on a profile derived from its strongest identifier and links every identifier to it', () => {
      const graph = foldIdentityGraph([]);
      const { profileId, recorded } = resolve(question('t1', [anon, email]), graph);
      expect(profileId).toBe(derivedProfileId(email.digest));
      expect(recorded.map((e) => [e.type, (e.data as { digest?: string }).digest])).toEqual([
        ['IdentifierLinked', email.digest],
        ['IdentifierLinked', anon.digest],
      ]);
    });

    it('lands on its customerId when it names one', () => {
      const { profileId } = resolve(question('t1', [email], 'C-1'), foldIdentityGraph([]));
      expect(profileId).toBe('C-1');
    });
  });

  describe('given an anonymous visitor browsed before logging in', () => {
    it('the login (customerId + anonymous id) merges the visitor into the customer', () => {
      const visitor = derivedProfileId(anon.digest);
      const graph = foldIdentityGraph([linked(visitor, 'anonymousId', 'a-1')]);
      const { profileId, recorded } = resolve(question('login', [anon], 'C-1'), graph);
      expect(profileId).toBe('C-1');
      expect(recorded).toEqual([
        expect.objectContaining({
          type: 'ProfilesMerged',
          data: expect.objectContaining({
            profiles: ['C-1', visitor].sort(),
            rule: 'identifier:anonymousId',
          }),
        }),
      ]);
      expect(partitionOf(graph).survivorOf(visitor)).toBe('C-1');
    });

    it('a redelivered login decides nothing more, and lands on the same profile', () => {
      const visitor = derivedProfileId(anon.digest);
      const graph = foldIdentityGraph([linked(visitor, 'anonymousId', 'a-1')]);
      resolve(question('login', [anon], 'C-1'), graph);
      expect(resolve(question('login', [anon], 'C-1'), graph)).toEqual({
        profileId: 'C-1',
        recorded: [],
      });
    });
  });

  describe('given a shared device already belongs to one customer', () => {
    it('a second customer on it is not merged (one customerId per profile): refused and recorded once', () => {
      const graph = foldIdentityGraph([linked('C-1', 'anonymousId', 'family-tablet')]);
      const first = resolve(question('t2', [tablet], 'C-2'), graph);
      expect(first.profileId).toBe('C-2');
      expect(first.recorded).toEqual([
        expect.objectContaining({
          type: 'MergeRefused',
          data: expect.objectContaining({
            rule: 'limit-per-profile',
            limit: { identifierType: 'customerId', max: 1, would: 2 },
            profiles: ['C-1', 'C-2'],
          }),
        }),
      ]);
      expect(partitionOf(graph).survivorOf('C-2')).toBe('C-2');
      expect(resolve(question('t3', [tablet], 'C-2'), graph).recorded).toEqual([]);
    });

    it('without a customerId the touchpoint lands on the device owner', () => {
      const graph = foldIdentityGraph([linked('C-1', 'anonymousId', 'family-tablet')]);
      expect(resolve(question('t4', [tablet]), graph).profileId).toBe('C-1');
    });
  });

  describe('given a type may not merge profiles', () => {
    it('the merge is refused naming the rule; the new identifiers still link', () => {
      const rules = { ...DEFAULT_IDENTITY_RULES, mergeTypes: ['email'] };
      const graph = foldIdentityGraph([linked('C-1', 'anonymousId', 'a-1')]);
      const { profileId, recorded } = resolve(question('t5', [anon, email], 'C-2'), graph, rules);
      expect(profileId).toBe('C-2');
      expect(recorded.map((e) => e.type)).toEqual(['IdentifierLinked', 'MergeRefused']);
      expect(recorded[0].data).toMatchObject({ digest: email.digest, customerId: 'C-2' });
      expect(recorded[1].data).toMatchObject({ rule: 'type-may-not-merge' });
    });
  });

  describe('given a profile holds as many emails as allowed', () => {
    it('one more is refused and recorded; the touchpoint still lands on the profile', () => {
      const rules = {
        ...DEFAULT_IDENTITY_RULES,
        limits: { ...DEFAULT_IDENTITY_RULES.limits, email: 1 },
      };
      const graph = foldIdentityGraph([linked('C-1', 'email', 'first@example.com')]);
      const { profileId, recorded } = resolve(question('t6', [email], 'C-1'), graph, rules);
      expect(profileId).toBe('C-1');
      expect(recorded).toEqual([
        expect.objectContaining({
          type: 'MergeRefused',
          data: expect.objectContaining({
            profiles: ['C-1'],
            limit: { identifierType: 'email', max: 1, would: 2 },
          }),
        }),
      ]);
    });
  });
});
