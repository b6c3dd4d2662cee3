import {
  decideIdentityStep,
  DEFAULT_IDENTITY_RULES,
  evolveIdentityGraph,
  foldIdentityGraph,
  isSettled,
  partitionOf,
  type IdentityEvent,
} from '@rapport/identity';
import { digested } from '@rapport/identity/testing';
import { generateIdentityStories, identityStoryExamples } from './identity-stories';

/**
 * The stories resolved by the identity core's own decision and default rules, touchpoint after
 * touchpoint as the write path does: every person ends as one profile, and every shared
 * tablet's second login is a refused merge, never a made one.
 */
const options = { people: 30, sharedDevices: 3, seed: 11, endAt: '2026-11-27T00:00:00.000Z' };

function resolveAll() {
  const graph = foldIdentityGraph([]);
  const recorded: IdentityEvent[] = [];
  const landedOn = new Map<string, string>();
  for (const tp of generateIdentityStories(options)) {
    const question = {
      ...(tp.customerId ? { customerId: tp.customerId } : {}),
      identifiers: (tp.identifiers ?? []).map((i) => digested(i.type, i.value)),
      evidence: { source: tp.source, touchpointId: tp.touchpointId, occurredAt: tp.occurredAt },
    };
    for (;;) {
      const step = decideIdentityStep(question, graph, DEFAULT_IDENTITY_RULES);
      if (isSettled(step)) {
        landedOn.set(tp.touchpointId, step.profileId);
        break;
      }
      for (const event of [...step.links, ...step.graphEvents]) {
        recorded.push(event);
        evolveIdentityGraph(graph, event);
      }
    }
  }
  return { graph, recorded, landedOn };
}

describe('identity stories resolved by the default rules', () => {
  const { graph, recorded, landedOn } = resolveAll();
  const stories = [...generateIdentityStories(options)];
  const survivor = (profileId: string) => partitionOf(graph).survivorOf(profileId);

  it('stitch each person into one profile: their anonymous, email and phone touchpoints included', () => {
    const profilesOf = new Map<string, Set<string>>();
    for (const tp of stories) {
      const person = tp.touchpointId.replace(/^.*-person-\d+-(\d+)-\d+$/, '$1');
      const profiles = profilesOf.get(person) ?? new Set<string>();
      profiles.add(survivor(landedOn.get(tp.touchpointId)!));
      profilesOf.set(person, profiles);
    }
    const split = [...profilesOf].filter(([, profiles]) => profiles.size !== 1);
    // The tablets' first users hold the anonymous browsing done on the tablet before the login.
    expect(split).toEqual([]);
    const examples = identityStoryExamples(options);
    const firstCarrying = (type: string, value: string) =>
      stories.find((tp) => tp.identifiers?.some((i) => i.type === type && i.value === value))!;
    const stitched: Array<[string, string, string]> = [
      ['anonymousId', examples.webLogin!.anonymousId, examples.webLogin!.customerId],
      ['email', examples.emailKnown!.email, examples.emailKnown!.customerId],
      ['phone', examples.phoneKnown!.phone, examples.phoneKnown!.customerId],
    ];
    for (const [type, value, customerId] of stitched) {
      const before = firstCarrying(type, value);
      expect(before.customerId).toBeUndefined();
      expect(survivor(landedOn.get(before.touchpointId)!)).toBe(survivor(customerId));
    }
    expect(recorded.filter((e) => e.type === 'ProfilesMerged').length).toBeGreaterThanOrEqual(
      options.people,
    );
  });

  it('refuse the second customer on each shared tablet, once, by the per-profile limit', () => {
    const refused = recorded.filter((e) => e.type === 'MergeRefused');
    expect(refused).toHaveLength(options.sharedDevices);
    for (const event of refused)
      expect(event.data).toMatchObject({
        rule: 'limit-per-profile',
        limit: { identifierType: 'customerId', max: 1, would: 2 },
      });
    const { sharedDevice } = identityStoryExamples(options);
    const [first, second] = sharedDevice!.customerIds;
    expect(survivor(first)).not.toBe(survivor(second));
  });
});
