/**
 * `msfctl --version` and `--help` start light: no AWS SDK client, no spec loader (zod, yaml), no controller or
 * dashboard server — commands import what they use when they run. Checked on the real binary with a module
 * resolve hook that reports every package it resolves.
 */
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { MSFCTL_BIN } from '../harness/msfctl-cli.js';

const REPORT = `(s) => { if (!s.startsWith('.') && !s.startsWith('node:') && !s.startsWith('file:') && !s.startsWith('data:')) process.stderr.write('RESOLVED ' + s + '\\n'); }`;
const HOOK = `const report = ${REPORT}; export async function resolve(s, c, next) { report(s); return next(s, c); }`;
// Node ≥ 22.15: in-thread hooks (there the async chain misses what is resolved through tsx's own hooks);
// Node 20 has only the async chain, which sees everything.
const REGISTER =
  `import module from 'node:module'; const report = ${REPORT}; ` +
  `if (module.registerHooks) module.registerHooks({ resolve(s, c, next) { report(s); return next(s, c); } }); ` +
  `else module.register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(HOOK)}));`;
const HEAVY = /^(@aws-sdk\/|@smithy\/|zod$|yaml$|prom-client$|croner$|msfctl-dashboard$|msf-local$)/;

function packagesResolvedBy(args: string[]): string[] {
  const result = spawnSync(
    process.execPath,
    ['--import', `data:text/javascript,${encodeURIComponent(REGISTER)}`, MSFCTL_BIN, ...args],
    { cwd: tmpdir(), encoding: 'utf8' },
  );
  return [...result.stderr.matchAll(/^RESOLVED (\S+)$/gm)].map((m) => m[1]!);
}

describe('msfctl start-up', () => {
  it.each([['--version'], ['--help']])('msfctl %s loads no SDK client, spec loader or server', (arg) => {
    const resolved = packagesResolvedBy([arg]);
    expect(resolved.length).toBeGreaterThan(0);
    // The hook sees the CLI's own imports (commander at least): it is really watching.
    expect(resolved).toContain('commander');
    expect(resolved.filter((name) => HEAVY.test(name))).toEqual([]);
  });

  it('a command still loads what it uses (the check would see it)', () => {
    const resolved = packagesResolvedBy(['validate', '--tfvars', '/nonexistent.json']).filter((n) =>
      HEAVY.test(n),
    );
    expect(resolved.length).toBeGreaterThan(0);
  });
});
