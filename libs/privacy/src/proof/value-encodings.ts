/**
 * The forms an erased value could take in what Rapport writes: as it came, JSON-escaped (event
 * data, views, logs), base64 and base64url (binary headers, envelopes), hex, CSV-quoted
 * (exports), URL-encoded (request logs). A scan looks for every one of them.
 */
export function encodingsOf(value: string): Map<string, Buffer> {
  const utf8 = Buffer.from(value, 'utf8');
  const forms = new Map<string, Buffer>([
    ['plain', utf8],
    ['json', Buffer.from(JSON.stringify(value).slice(1, -1), 'utf8')],
    ['base64', Buffer.from(utf8.toString('base64').replace(/=+$/, ''), 'latin1')],
    ['base64url', Buffer.from(utf8.toString('base64url'), 'latin1')],
    ['hex', Buffer.from(utf8.toString('hex'), 'latin1')],
    ['HEX', Buffer.from(utf8.toString('hex').toUpperCase(), 'latin1')],
    ['csv', Buffer.from(value.replace(/"/g, '""'), 'utf8')],
    ['url', Buffer.from(encodeURIComponent(value), 'latin1')],
  ]);
  // Base64 of a value inside a longer text depends on its offset modulo 3: all three.
  for (const shift of [1, 2]) {
    const shifted = Buffer.concat([Buffer.alloc(shift, 0x20), utf8]).toString('base64');
    // The first 4 characters carry the padding's bits; the middle is the value's own.
    const core = shifted.slice(4, shifted.length - 4);
    if (core.length >= 8) forms.set(`base64+${shift}`, Buffer.from(core, 'latin1'));
  }
  return forms;
}

export interface Finding {
  readonly where: string;
  readonly value: string;
  readonly encoding: string;
  readonly offset: number;
}

/** Every place in `bytes` where one of the values appears in one of its encodings. */
export function findValues(where: string, bytes: Buffer, values: readonly string[]): Finding[] {
  const found: Finding[] = [];
  for (const value of values)
    for (const [encoding, needle] of encodingsOf(value)) {
      const offset = bytes.indexOf(needle);
      if (offset >= 0) found.push({ where, value, encoding, offset });
    }
  return found;
}
