/**
 * The msfctl binary given bad command-line input: every error names the option and the reason, as one line
 * (or one JSON document with --json), never a stack trace, and exits 1. No server is needed: these fail while
 * the command line is parsed.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { msfctl } from '../harness/msfctl-cli.js';

const cwd = mkdtempSync(path.join(tmpdir(), 'msfctl-usage-'));

describe('msfctl usage errors', () => {
  it.each([
    [['scale', 'app', '--parallelism', '0'], '--parallelism must be a positive integer (got 0).'],
    [['start', 'app', '--bake', 'soon'], '--bake must be a whole number of seconds, 0 or more (got soon).'],
    [['apply', '--on-failure', 'maybe'], '--on-failure must be one of rollback, stop, none, not "maybe".'],
    [['health', 'app', '--interval', '0'], '--interval must be a duration such as 30s, 10m or 1h (got 0).'],
    [['local', 'status', '--port', 'abc'], '--port must be a TCP port, 1 to 65535 (got abc).'],
  ])('msfctl %j: one line naming the option, exit 1', async (args, message) => {
    const result = await msfctl(args, { cwd, timeoutMs: 60_000 });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`✗ ${message}`);
    expect(result.stderr).not.toMatch(/\n\s+at |MsfctlError|Node\.js v/);
  });

  it('with --json, a parse-time error is one JSON document on stdout', async () => {
    const result = await msfctl(['history', 'app', '--limit', 'x', '--json'], { cwd, timeoutMs: 60_000 });
    expect(result.code).toBe(1);
    expect(result.json).toEqual({
      ok: false,
      error: { code: 'USAGE', message: '--limit must be a positive integer (got x).' },
    });
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
