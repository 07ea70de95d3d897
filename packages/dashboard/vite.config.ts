/**
 * Builds the web app (web/) into dist/web: static files the dashboard server serves, everything bundled (no
 * CDN, works offline). JSX is compiled for Preact by Vite's own transformer; no plugin needed.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('./web/', import.meta.url)),
  base: '/',
  logLevel: 'warn',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: fileURLToPath(new URL('./dist/web/', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    // The dashboard is opened on the same machine; one small bundle loads fastest.
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
  },
});
