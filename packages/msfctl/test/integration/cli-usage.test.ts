/**
 * The msfctl binary given bad input a user plausibly writes: every error names the option (or field) and the
 * reason, as one line (or one JSON document with --json), never a stack trace, and exits 1. No server is
 * needed: these fail while the command line or the spec is read.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
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

  it('an option in the wrong place: the error and where to look, not the whole help', async () => {
    const result = await msfctl(['--jar', 'app.jar', 'plan'], { cwd, timeoutMs: 60_000 });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      "error: unknown option '--jar'\n" +
        '(`msfctl --help`: commands and global options; `msfctl COMMAND --help`: the options of a command)\n',
    );
  });

  it.each([
    [['plan', '--bogus', '--json'], "unknown option '--bogus'"],
    [['--json', 'scale', 'app'], "required option '--parallelism <n>' not specified"],
    [['--json', 'nosuchcmd'], "unknown command 'nosuchcmd'"],
    [['--json', 'import'], "missing required argument 'app'"],
  ])(
    "with --json, commander's own usage error %j is one JSON document too (issue 16 item 12)",
    async (args, message) => {
      const result = await msfctl(args, { cwd, timeoutMs: 60_000 });
      expect(result.code).toBe(1);
      expect(result.json).toMatchObject({ ok: false, error: { code: 'USAGE', message } });
      expect(result.stderr).toBe('');
    },
  );

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

describe('msfctl validate', () => {
  it('checks what plan uses without --env, not only the environments (issue 16 item 4)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'msfctl-validate-'));
    writeFileSync(path.join(dir, 'app.jar'), 'x');
    writeFileSync(
      path.join(dir, 'msfctl.yaml'),
      'application: app\nruntime: FLINK-1_19\ncode: { jar: app.jar }\nartifacts: { bucket: my-artifacts }\n' +
        'target: { kind: aws, region: us-east-1 }\n' +
        'environments:\n  prod:\n    role: arn:aws:iam::123456789012:role/app\n',
    );
    const plan = await msfctl(['plan'], { cwd: dir, timeoutMs: 60_000 });
    expect(plan.code).toBe(1);
    expect(plan.stderr).toContain('role: is required');
    const result = await msfctl(['validate'], { cwd: dir, timeoutMs: 60_000 });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('✗ spec without --env (what plan and apply use by default):');
    expect(result.stdout).toContain('✓ environment prod: app');
    // With a default environment, plan uses it: the base spec alone is not what plan uses.
    writeFileSync(
      path.join(dir, 'msfctl.yaml'),
      `defaultEnvironment: prod\n${readFileSync(path.join(dir, 'msfctl.yaml'), 'utf8')}`,
    );
    expect((await msfctl(['validate'], { cwd: dir, timeoutMs: 60_000 })).code).toBe(0);
  });

  it('warns about a code.jar that does not exist (plan and apply need it), and still exits 0', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'msfctl-validate-'));
    writeFileSync(
      path.join(dir, 'msfctl.yaml'),
      'application: app\nruntime: FLINK-1_19\ncode: { jar: build/app.jar }\nartifacts: { bucket: my-artifacts }\ntarget: local\n',
    );
    const result = await msfctl(['validate'], { cwd: dir, timeoutMs: 60_000 });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      `! code.jar ${path.join(dir, 'build/app.jar')} does not exist yet: plan and apply need it`,
    );
    const json = await msfctl(['validate', '--json'], { cwd: dir, timeoutMs: 60_000 });
    expect((json.json as { warnings: string[] }).warnings).toEqual([
      expect.stringContaining('does not exist yet'),
    ]);
  });
});
