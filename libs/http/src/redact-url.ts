/**
 * URLs reach the logs, and analysts put personal data in them: `?email=…` filters, customer
 * ids that are email addresses or phone numbers. Query values are always replaced (their names
 * stay, so a log still says which filters were used); path segments that look like an email
 * address or a phone number are replaced too. Customer ids such as `C-1001` stay readable.
 */
export function redactUrl(url: string): string {
  const hash = url.indexOf('#');
  const withoutHash = hash >= 0 ? url.slice(0, hash) : url;
  const mark = withoutHash.indexOf('?');
  const path = mark >= 0 ? withoutHash.slice(0, mark) : withoutHash;
  const query = mark >= 0 ? withoutHash.slice(mark + 1) : undefined;
  const safePath = path
    .split('/')
    .map((segment) => (looksPersonal(segment) ? REDACTED : segment))
    .join('/');
  if (query === undefined) return safePath;
  const names = query
    .split('&')
    .filter(Boolean)
    .map((pair) => {
      const name = pair.split('=')[0];
      return `${looksPersonal(name) ? REDACTED : name}=${REDACTED}`;
    });
  return `${safePath}?${names.join('&')}`;
}

const REDACTED = '[redacted]';

function looksPersonal(segment: string): boolean {
  let decoded = segment;
  try {
    decoded = decodeURIComponent(segment);
  } catch {
    // A malformed escape is logged as sent: it is not a well-formed email or number either.
  }
  return decoded.includes('@') || /^\+?[\d\s().-]{7,}$/.test(decoded);
}
