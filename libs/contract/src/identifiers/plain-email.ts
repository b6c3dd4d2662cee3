/**
 * The common shape of an email address, lower case ASCII: dot-separated local parts of letters,
 * digits, `_`, `+` and `-`; host labels of letters, digits and inner hyphens, at most 63 long;
 * a top-level domain of letters. Every address of this shape is one class-validator's `isEmail`
 * accepts (a property test pins that), so it is taken without asking isEmail, which costs
 * several µs an address on the write path; any other address is still judged by isEmail.
 */
const PLAIN_EMAIL =
  /^[a-z0-9_+-]+(?:\.[a-z0-9_+-]+)*@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
/** isEmail's own bound on the local part (bytes; ASCII here). */
const MAX_LOCAL_PART_LENGTH = 64;

/** For a trimmed, lower-cased value of at most 254 characters. */
export function isPlainEmail(email: string): boolean {
  const at = email.indexOf('@');
  return at > 0 && at <= MAX_LOCAL_PART_LENGTH && PLAIN_EMAIL.test(email);
}
