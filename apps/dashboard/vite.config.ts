import { resolve } from 'node:path';
import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

/**
 * The analyst dashboard: a static bundle in dist/dashboard, served by the platform and the
 * query API at `/`. No inline script or style is emitted (the CSP forbids them), and nothing is
 * fetched from a CDN: the page works offline against its own API.
 */
export default defineConfig({
  root: __dirname,
  base: '/',
  plugins: [preact()],
  build: {
    outDir: resolve(__dirname, '../../dist/dashboard'),
    emptyOutDir: true,
    // Inlined assets would be data: URLs; everything stays a file under 'self'.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    reportCompressedSize: true,
  },
});
