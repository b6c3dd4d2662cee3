import { existsSync } from 'node:fs';
import type { Availability } from './availability';

const CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
];

/**
 * A Chromium for the browser suites: CHROMIUM_PATH, else Debian's `chromium` (apt) or a
 * Chrome at the usual places. Without one the suites are skipped with this reason.
 */
export function chromiumAvailability(): Availability<string> {
  const configured = process.env.CHROMIUM_PATH;
  if (configured)
    return existsSync(configured)
      ? { available: true, via: 'CHROMIUM_PATH', value: configured }
      : { available: false, reason: `CHROMIUM_PATH=${configured} does not exist` };
  const found = CANDIDATES.find((path) => existsSync(path));
  return found
    ? { available: true, via: found, value: found }
    : {
        available: false,
        reason: `no Chromium found (${CANDIDATES.join(', ')}; set CHROMIUM_PATH or apt-get install chromium)`,
      };
}
