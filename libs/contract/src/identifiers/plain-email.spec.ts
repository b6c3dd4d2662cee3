import { isEmail } from 'class-validator';
import fc from 'fast-check';
import { isPlainEmail } from './plain-email';

/** Characters around the shape's edges: dots, hyphens, underscores, quotes, digits, unicode. */
const edgy = fc.constantFrom(...'abcz0189._+-@"!#%&\'*/=?^`{|}~ ()[],;:\\é\u00a0\uff01'.split(''));
const label = fc.stringMatching(/^[a-z0-9-]{1,64}$/);
const candidates = fc.oneof(
  fc
    .tuple(
      fc.array(fc.stringMatching(/^[a-z0-9_+-]{0,66}$/), { minLength: 1, maxLength: 3 }),
      fc.array(label, { minLength: 1, maxLength: 4 }),
      fc.stringMatching(/^[a-z0-9_-]{0,64}$/),
    )
    .map(([local, hosts, tld]) => `${local.join('.')}@${hosts.join('.')}.${tld}`),
  fc
    .tuple(
      fc.array(fc.stringMatching(/^[a-z0-9_+-]{1,22}$/), { minLength: 1, maxLength: 3 }),
      fc.array(fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?$/), {
        minLength: 1,
        maxLength: 3,
      }),
      fc.stringMatching(/^[a-z]{2,63}$/),
    )
    .map(([local, hosts, tld]) => `${local.join('.')}@${hosts.join('.')}.${tld}`),
  fc.array(edgy, { maxLength: 40 }).map((chars) => chars.join('')),
  fc.array(edgy, { maxLength: 12 }).map((chars) => `${chars.join('')}@example.com`),
  fc.array(edgy, { maxLength: 12 }).map((chars) => `ada@${chars.join('')}.io`),
);

describe('the plain email shape (the write path skips isEmail for it)', () => {
  it('is only ever an address isEmail accepts too', () => {
    let plain = 0;
    fc.assert(
      fc.property(candidates, (email) => {
        if (email.length > 254 || !isPlainEmail(email)) return;
        plain++;
        expect(isEmail(email)).toBe(true);
      }),
      { numRuns: 1000 },
    );
    // The property says something only if the shape matches often enough.
    expect(plain).toBeGreaterThan(100);
  });

  it.each([
    'ada@example.com',
    'ada.lovelace+news@mail.example.co.uk',
    'c-1_x@x-y.io',
    `${'a'.repeat(64)}@example.com`,
  ])('takes %j', (email) => {
    expect(isPlainEmail(email)).toBe(true);
  });

  it.each([
    `${'a'.repeat(65)}@example.com`,
    'ada..b@example.com',
    '.ada@example.com',
    'ada@-x.io',
    'ada@x-.io',
    'ada@x_y.io',
    'ada@example.c',
    'ada@example.c0m',
    `ada@${'x'.repeat(64)}.io`,
    'ada@example',
    '"ada"@example.com',
    'ada@[127.0.0.1]',
  ])('leaves %j to isEmail', (email) => {
    expect(isPlainEmail(email)).toBe(false);
  });
});
