import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * A newcomer reads the README in a clone of this repository and nothing else: every link it
 * has must lead to a file in that clone (or to a web address).
 */
const root = resolve(__dirname, '..', '..');

describe.each(['README.md', 'docs/ARCHITECTURE.md'])('%s', (file) => {
  const text = readFileSync(join(root, file), 'utf8');
  const targets = [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1]);

  it('links only to files inside the repository that exist', () => {
    const local = targets.filter((target) => !/^[a-z]+:/i.test(target) && !target.startsWith('#'));
    for (const target of local) {
      const path = resolve(join(root, file, '..'), target.split('#')[0]);
      expect({ target, inside: path.startsWith(root + '/'), exists: existsSync(path) }).toEqual({
        target,
        inside: true,
        exists: true,
      });
    }
  });
});
