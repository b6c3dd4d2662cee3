import type { IdentityStoryExamples } from '@rapport/demo-data';

/**
 * The /v1/identities calls the demo's identity stories answer, as curl lines to paste: a
 * visitor's profile after login, a customer known first by email or phone, the family tablet
 * whose second login the limits refused, and a merge by hand with its undo.
 */
export function identityCurlExamples(
  examples: IdentityStoryExamples,
  base: string,
  adminKey: string,
): string[] {
  const curl = (path: string) => `  curl -H 'Authorization: Bearer ${adminKey}' ${base}${path}`;
  const lookup = (type: string, value: string) =>
    curl(`/v1/identities/${type}/${encodeURIComponent(value)}`);
  const post = (path: string, body: unknown) =>
    `  curl -H 'Authorization: Bearer ${adminKey}' -H 'Content-Type: application/json' ${base}${path} -d '${JSON.stringify(body)}'`;
  const lines: string[] = [];
  const { webLogin, emailKnown, phoneKnown, sharedDevice } = examples;
  if (webLogin)
    lines.push(
      `  # an anonymous visitor who logged in as ${webLogin.customerId}: one profile, the merge in its history`,
      lookup('anonymousId', webLogin.anonymousId),
    );
  if (emailKnown)
    lines.push(
      `  # known by email until an order named ${emailKnown.customerId}`,
      lookup('email', emailKnown.email),
    );
  if (phoneKnown)
    lines.push(
      `  # known by phone until a store purchase named ${phoneKnown.customerId}`,
      lookup('phone', phoneKnown.phone),
    );
  if (sharedDevice) {
    lines.push(
      `  # a family tablet: ${sharedDevice.customerIds.join(' and ')} logged in on it; the second merge was refused (MergeRefused in the history)`,
      lookup('anonymousId', sharedDevice.anonymousId),
      '  # merging the two by hand is refused too (409), and the refusal recorded',
      post('/v1/identities/merges', {
        profiles: sharedDevice.customerIds.slice(0, 2),
        reason: 'demo: same household?',
      }),
    );
  }
  if (webLogin)
    lines.push(
      '  # undo a merge (mergeId from a history above); the same evidence never merges them again',
      post('/v1/identities/merges/<mergeId>/undo', { reason: 'demo: wrong merge' }),
      `  # the customers list, filtered by identifier`,
      curl(`/v1/customers?identifier=${encodeURIComponent(`anonymousId:${webLogin.anonymousId}`)}`),
    );
  return lines;
}
