import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { IdentifierDigester } from './identifier-digester';

const key = Buffer.from('test-key');
/** The digest as identifier streams have always been named: a memo must never change it. */
const named = (type: string, value: string) =>
  createHmac('sha256', key).update(type).update('\u0000').update(value).digest('hex');

describe('digesting identifiers', () => {
  it('gives the stream names stored so far, asked once or again, kept or dropped from the memo', () => {
    const digester = new IdentifierDigester(key, 8);
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            type: fc.constantFrom('email', 'anonymousId', 'phone'),
            value: fc.string({ maxLength: 12 }),
          }),
          { maxLength: 30 },
        ),
        (identifiers) => {
          for (const identifier of [...identifiers, ...identifiers.reverse()])
            expect(digester.digest(identifier)).toBe(named(identifier.type, identifier.value));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('keeps no more than its capacity, the least recently used dropped first', () => {
    const digester = new IdentifierDigester(key, 2);
    const hmacs = jest.spyOn(IdentifierDigester as never, 'hmac' as never);
    const a = { type: 'email', value: 'a@x.io' };
    const b = { type: 'email', value: 'b@x.io' };
    const c = { type: 'email', value: 'c@x.io' };
    digester.digest(a);
    digester.digest(b);
    digester.digest(a); // a is now the most recently used
    digester.digest(c); // drops b
    digester.digest(a);
    digester.digest(b);
    expect(hmacs).toHaveBeenCalledTimes(4); // a, b, c, then b again
    hmacs.mockRestore();
  });
});
