/**
 * How failures and refusals read: one error line on stderr with where the application was left, then the hint;
 * Ctrl-C at the approval question is a "no".
 */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { finish } from '../../src/cli/commands/lifecycle-context.js';
import { reportError } from '../../src/cli/commands/run.js';
import { MsfctlError } from '../../src/model/errors.js';
import type { RunResult } from '../../src/controller/pipeline.js';
import { createHost } from '../../src/adapters/io/terminal-host.js';
import { live } from './fixtures.js';

function plainHost() {
  const out = { stdout: '', stderr: '' };
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  stdout.on('data', (chunk: Buffer) => (out.stdout += chunk.toString()));
  stderr.on('data', (chunk: Buffer) => (out.stderr += chunk.toString()));
  const host = createHost({
    stdout: stdout as unknown as NodeJS.WriteStream,
    stderr: stderr as unknown as NodeJS.WriteStream,
    stdin: new PassThrough() as unknown as NodeJS.ReadStream,
    color: false,
  });
  return { host, out };
}

describe('failure output', () => {
  it('with --json, the approval question goes to stderr: stdout holds the JSON document only (issue 16 item 12)', async () => {
    const out = { stdout: '', stderr: '' };
    const stdout = Object.assign(new PassThrough(), { isTTY: true });
    const stderr = Object.assign(new PassThrough(), { isTTY: true });
    const stdin = Object.assign(new PassThrough(), { isTTY: true });
    stdout.on('data', (chunk: Buffer) => (out.stdout += chunk.toString()));
    stderr.on('data', (chunk: Buffer) => (out.stderr += chunk.toString()));
    const host = createHost({
      stdout: stdout as unknown as NodeJS.WriteStream,
      stderr: stderr as unknown as NodeJS.WriteStream,
      stdin: stdin as unknown as NodeJS.ReadStream,
      json: true,
      color: false,
    });
    const answer = host.confirm('Delete 2 snapshots of app?');
    stdin.write('yes\n');
    expect(await answer).toBe(true);
    host.result('', { ok: true });
    expect(out.stderr).toContain('Delete 2 snapshots of app?');
    expect(JSON.parse(out.stdout)).toEqual({ ok: true });
  });

  it('an AWS error no adapter translated: the service error in one line and a hint, no stack trace (issue 16 item 11)', () => {
    const { host, out } = plainHost();
    const error = Object.assign(new Error('The specified bucket does not exist'), {
      name: 'NoSuchBucket',
      $fault: 'client',
      $metadata: { httpStatusCode: 404, requestId: 'r1' },
    });
    reportError(host, error);
    expect(out.stderr).toBe('✗ An AWS call failed: NoSuchBucket: The specified bucket does not exist\n');
    expect(out.stderr).not.toMatch(/\n\s+at |Unexpected error/);
  });

  it('a failed lifecycle command: error with the status it left, hint without a second ✗, nothing claimed on stdout', () => {
    const { host, out } = plainHost();
    const result: RunResult = {
      application: 'app',
      kind: 'snapshot',
      failures: [],
      ok: false,
      actions: [
        {
          type: 'snapshot',
          name: 's1',
          effect: { restart: false, snapshot: true, state: 'unchanged', kpus: { before: 1, after: 1 } },
        } as unknown as RunResult['actions'][number],
      ],
      live: live({ status: 'RUNNING', versionId: 7 }),
      error: new MsfctlError('USAGE', 'CreateApplicationSnapshot s1: Snapshot s1 already exists.', {
        hint: 'Choose another name.',
      }),
    };
    expect(finish(host, result, 'unused')).toBe(1);
    expect(out.stderr).toBe(
      '✗ app: CreateApplicationSnapshot s1: Snapshot s1 already exists. (app is RUNNING, version 7)\n' +
        '  → Choose another name.\n',
    );
    expect(out.stdout).not.toContain('snapshot taken');
  });

  it('a success lists the actions once: not again when they were shown before running (destroy)', () => {
    const action = {
      type: 'stop',
      reason: 'msfctl stop',
      effect: { restart: false, snapshot: true, state: 'saved', kpus: { before: 1, after: 0 } },
    } as unknown as RunResult['actions'][number];
    const result: RunResult = {
      application: 'app',
      kind: 'stop',
      failures: [],
      ok: true,
      actions: [action],
      live: live({ status: 'READY' }),
    };
    const listed = plainHost();
    finish(listed.host, result, 'Stopped app.');
    expect(listed.out.stdout).toContain('  1. stop');
    const shown = plainHost();
    finish(shown.host, result, 'Deleted app.', undefined, { actionsShown: true });
    expect(shown.out.stdout).not.toContain('1. stop');
    expect(shown.out.stdout).toContain('✓ Deleted app.');
  });

  it('any reported error: the hint line carries no ✗', () => {
    const { host, out } = plainHost();
    reportError(host, new MsfctlError('LOCK_HELD', 'Application app is locked.', { hint: 'Wait for it.' }));
    expect(out.stderr).toBe('✗ Application app is locked.\n  → Wait for it.\n');
  });
});

describe('confirm on a terminal', () => {
  it.each([
    ['Ctrl-C', '\x03'],
    ['Ctrl-D', '\x04'],
  ])('%s at the question is a "no", not an error', async (_key, input) => {
    const tty = <T extends PassThrough>(stream: T) =>
      Object.assign(stream, { isTTY: true, columns: 80, setRawMode: () => stream });
    const stdin = tty(new PassThrough());
    const stdout = tty(new PassThrough());
    stdout.resume();
    const host = createHost({
      stdin: stdin as unknown as NodeJS.ReadStream,
      stdout: stdout as unknown as NodeJS.WriteStream,
      stderr: new PassThrough() as unknown as NodeJS.WriteStream,
      color: false,
    });
    expect(host.interactive).toBe(true);
    const answer = host.confirm('Apply 1 action to app?');
    setTimeout(() => stdin.write(input), 10);
    await expect(answer).resolves.toBe(false);
  });
});
