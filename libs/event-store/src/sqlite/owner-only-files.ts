import { chmodSync, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { Logger } from '@nestjs/common';

/**
 * What Rapport keeps in DATA_DIR (the events, with customers' personal data, and the API key
 * hashes) is for the account that runs it alone: directories it creates are 0700, its files
 * 0600. A file found readable by others is tightened, with a warning: it is Rapport's own. A
 * directory that already existed is only warned about: it may be a mount point or shared on
 * purpose, and its mode is its owner's decision.
 */
const logger = new Logger('DataDirectory');

export function ownerOnlyDirectory(path: string): void {
  if (!existsSync(path)) {
    mkdirSync(path, { recursive: true, mode: 0o700 });
    return;
  }
  const mode = statSync(path).mode & 0o777;
  if (mode & 0o077)
    logger.warn(
      `${path} is open to other accounts (mode ${octal(mode)}); Rapport keeps customer data in it: chmod 700 ${path}`,
    );
}

/** Creates the file empty, 0600, if it is missing; tightens it to 0600 if it is looser. */
export function ownerOnlyFile(path: string, create = false): void {
  if (!existsSync(path)) {
    if (create) writeFileSync(path, '', { mode: 0o600, flag: 'a' });
    return;
  }
  const mode = statSync(path).mode & 0o777;
  if (!(mode & 0o077)) return;
  chmodSync(path, mode & 0o700);
  logger.warn(
    `${path} was open to other accounts (mode ${octal(mode)}): now ${octal(mode & 0o700)}`,
  );
}

function octal(mode: number): string {
  return mode.toString(8).padStart(3, '0');
}
