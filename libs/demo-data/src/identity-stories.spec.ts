import { decodeTouchpoint } from '@rapport/contract';
import type { IncomingTouchpoint } from '@rapport/domain';
import {
  generateIdentityStories,
  identityStoryExamples,
  type IdentityStoriesOptions,
} from './identity-stories';

const options: IdentityStoriesOptions = {
  people: 30,
  sharedDevices: 3,
  seed: 7,
  endAt: '2026-11-27T00:00:00.000Z',
};
const stories = [...generateIdentityStories(options)];

const valuesOf = (tp: IncomingTouchpoint, type: string) =>
  (tp.identifiers ?? []).filter((i) => i.type === type).map((i) => i.value);
const named = (customerId: string) => stories.filter((tp) => tp.customerId === customerId);
const carrying = (type: string, value: string) =>
  stories.filter((tp) => valuesOf(tp, type).includes(value));

describe('identity stories for the demo', () => {
  it('are the same, byte for byte, for the same seed and different for another', () => {
    expect(JSON.stringify([...generateIdentityStories(options)])).toBe(JSON.stringify(stories));
    expect(JSON.stringify([...generateIdentityStories({ ...options, seed: 8 })])).not.toBe(
      JSON.stringify(stories),
    );
  });

  it('all pass the touchpoint contract, identifiers already in their normalised form', () => {
    const now = new Date(options.endAt);
    const refused = stories.flatMap((tp) => {
      const decoded = decodeTouchpoint(tp, { now });
      return decoded.ok ? [] : [{ touchpointId: tp.touchpointId, problems: decoded.problems }];
    });
    expect(refused).toEqual([]);
    for (const tp of stories) {
      const decoded = decodeTouchpoint(tp, { now });
      expect(decoded.ok && decoded.touchpoint.identifiers).toEqual(tp.identifiers);
    }
    expect(new Set(stories.map((tp) => tp.touchpointId)).size).toBe(stories.length);
  });

  it('has anonymous web visits that later log in: the anonymousId alone, then with the customerId', () => {
    const { webLogin } = identityStoryExamples(options);
    expect(webLogin).toBeDefined();
    const visits = carrying('anonymousId', webLogin!.anonymousId);
    const firstNamed = visits.findIndex((tp) => tp.customerId === webLogin!.customerId);
    expect(firstNamed).toBeGreaterThan(0);
    expect(visits.slice(0, firstNamed).every((tp) => tp.customerId === undefined)).toBe(true);
    expect(visits.every((tp) => tp.type === 'web_visit' && tp.channel === 'web')).toBe(true);
    expect(named(webLogin!.customerId).some((tp) => tp.type === 'purchase')).toBe(true);
  });

  it('has emails known only by address until an order names the customer with it', () => {
    const { emailKnown } = identityStoryExamples(options);
    const touchpoints = carrying('email', emailKnown!.email);
    expect(touchpoints[0]).toMatchObject({ type: 'email' });
    expect(touchpoints[0]).not.toHaveProperty('customerId');
    expect(touchpoints.filter((tp) => tp.customerId === emailKnown!.customerId)).toEqual([
      expect.objectContaining({ type: 'purchase' }),
    ]);
    expect(touchpoints.filter((tp) => tp.type === 'email').length).toBeGreaterThanOrEqual(3);
  });

  it('has calls known only by phone until a store purchase names the customer with it', () => {
    const { phoneKnown } = identityStoryExamples(options);
    const touchpoints = carrying('phone', phoneKnown!.phone);
    const calls = touchpoints.filter((tp) => tp.type === 'call');
    expect(calls.length).toBe(2);
    expect(calls.every((tp) => tp.customerId === undefined && tp.channel === 'phone')).toBe(true);
    expect(touchpoints.filter((tp) => tp.customerId !== undefined)).toEqual([
      expect.objectContaining({
        type: 'purchase',
        channel: 'store',
        customerId: phoneKnown!.customerId,
      }),
    ]);
  });

  it('has shared tablets on which two customers log in, the merge the limits must refuse', () => {
    const { sharedDevice } = identityStoryExamples(options);
    expect(sharedDevice?.customerIds).toHaveLength(2);
    const onTablet = carrying('anonymousId', sharedDevice!.anonymousId);
    const customers = onTablet.flatMap((tp) => (tp.customerId ? [tp.customerId] : []));
    expect(customers).toEqual(sharedDevice!.customerIds);
    // Browsed on anonymously first, so the first login stitches that browsing to its customer.
    expect(onTablet[0]).not.toHaveProperty('customerId');

    const tablets = new Set(
      stories.flatMap((tp) => valuesOf(tp, 'anonymousId')).filter((v) => v.startsWith('tablet-')),
    );
    expect(tablets.size).toBe(options.sharedDevices);
  });

  it('keeps each person in event-time order, inside the window, apart from the main history', () => {
    const byPerson = new Map<string, string[]>();
    for (const tp of stories) {
      const person = tp.touchpointId.replace(/^.*-person-\d+-(\d+)-\d+$/, '$1');
      byPerson.set(person, [...(byPerson.get(person) ?? []), tp.occurredAt]);
    }
    expect(byPerson.size).toBe(options.people);
    for (const times of byPerson.values()) expect(times).toEqual([...times].sort());
    expect(stories.every((tp) => tp.occurredAt <= options.endAt)).toBe(true);
    expect(
      stories.every((tp) => tp.customerId === undefined || tp.customerId.startsWith('C-ID-')),
    ).toBe(true);
  });
});
