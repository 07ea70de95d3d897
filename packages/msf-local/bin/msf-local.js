#!/usr/bin/env node
// Installed (npm i -g, npx): runs the compiled dist/. In a clone of the repository (src/ is not published) it
// runs the TypeScript sources through tsx, and the workspace packages resolve to their sources as well, so a
// fresh `npm ci` needs no build step and an edit needs no rebuild.
import { existsSync } from 'node:fs';
import module, { register } from 'node:module';
import { URL } from 'node:url';

const source = new URL('../src/cli.ts', import.meta.url);
if (existsSync(source)) {
  (await import('tsx/esm/api')).register();
  register(
    'data:text/javascript,' +
      encodeURIComponent(
        "export const resolve = (s, c, next) => next(s, c.conditions.includes('msfctl-source') ? c : { ...c, conditions: [...c.conditions, 'msfctl-source'] });",
      ),
  );
  await import(source.href);
} else {
  // Node 22.1+ caches compiled code on disk: later starts skip parsing the CLI's modules (no-op on Node 20).
  module.enableCompileCache?.();
  await import('../dist/cli.js');
}
