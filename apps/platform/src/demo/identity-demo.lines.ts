import type { IdentityStoryExamples } from '@rapport/demo-data';

/** What `npm run demo` prints of the identity stories: where to see a stitched profile and a refused merge. */
export function identityDemoLines(base: string, examples: IdentityStoryExamples): string[] {
  const identity = (type: string, value: string) =>
    `${base}/v1/identities/${type}/${encodeURIComponent(value)}`;
  const lines: string[] = [];
  if (examples.webLogin)
    lines.push(
      `  a visitor who logged in   ${identity('anonymousId', examples.webLogin.anonymousId)}` +
        ` (customer ${examples.webLogin.customerId}: their anonymous browsing is theirs)`,
    );
  if (examples.emailKnown)
    lines.push(`  known by email            ${identity('email', examples.emailKnown.email)}`);
  if (examples.phoneKnown)
    lines.push(`  known by phone            ${identity('phone', examples.phoneKnown.phone)}`);
  if (examples.sharedDevice)
    lines.push(
      `  a shared family tablet    ${identity('anonymousId', examples.sharedDevice.anonymousId)}` +
        ` (${examples.sharedDevice.customerIds.join(' and ')} logged in on it: the second merge was refused)`,
    );
  return lines.length ? ['', '  Identity resolution:', ...lines] : [];
}
