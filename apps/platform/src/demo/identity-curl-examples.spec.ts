import { identityStoryExamples } from '@rapport/demo-data';
import { identityCurlExamples } from './identity-curl-examples';

describe('the identity curl lines the demo prints', () => {
  const examples = identityStoryExamples({
    people: 30,
    sharedDevices: 3,
    seed: 1,
    endAt: '2026-12-01T00:00:00Z',
  });
  const lines = identityCurlExamples(examples, 'http://localhost:3000', 'KEY');

  it('looks up each story by the identifier it began with, URL-encoded', () => {
    const text = lines.join('\n');
    expect(text).toContain(
      `/v1/identities/anonymousId/${encodeURIComponent(examples.webLogin!.anonymousId)}`,
    );
    expect(text).toContain(
      `/v1/identities/email/${encodeURIComponent(examples.emailKnown!.email)}`,
    );
    // A phone's + would read as a space in a URL.
    expect(text).toContain(`/v1/identities/phone/%2B`);
    expect(text).toContain(
      `/v1/identities/anonymousId/${encodeURIComponent(examples.sharedDevice!.anonymousId)}`,
    );
  });

  it('merges the tablet users by hand and shows the undo, with the admin key', () => {
    const merge = lines.find((l) => l.includes('/v1/identities/merges -d'))!;
    expect(JSON.parse(/-d '(.*)'$/.exec(merge)![1])).toEqual({
      profiles: examples.sharedDevice!.customerIds.slice(0, 2),
      reason: 'demo: same household?',
    });
    expect(lines.some((l) => l.includes('/v1/identities/merges/<mergeId>/undo'))).toBe(true);
    expect(lines.filter((l) => l.includes('curl')).every((l) => l.includes('Bearer KEY'))).toBe(
      true,
    );
  });

  it('prints nothing for stories the demo did not make', () => {
    expect(identityCurlExamples({}, 'http://x', 'KEY')).toEqual([]);
  });
});
