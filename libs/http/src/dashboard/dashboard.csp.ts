/**
 * The dashboard's Content-Security-Policy, stricter than helmet's default for the API: every
 * script, style, image and connection from this origin only, and no inline script or style at
 * all (helmet's default allows inline styles and any https: stylesheet, which the dashboard
 * does not need). uPlot sizes its canvas through the CSSOM (element.style), which CSP does not
 * govern, so `style-src 'self'` holds without 'unsafe-inline'. `data:` images are only the
 * empty favicon that saves a request. No `upgrade-insecure-requests`: the platform is often
 * reached over plain HTTP on a private address, where that would break every API call.
 */
export const DASHBOARD_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "script-src-attr 'none'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');
