/**
 * `msfctl completion SHELL` through the binary: a script for each shell that registers msfctl, and the hidden
 * `complete -- WORDS` protocol those scripts call at each TAB, answering from the real command tree.
 */
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { msfctl } from '../harness/msfctl-cli.js';

const run = (...args: string[]) => msfctl(args, { cwd: tmpdir() });
/** The suggestions of a `complete` answer: one per line, `value<TAB>description`, then `:<directive>`. */
const values = (stdout: string) =>
  stdout
    .split('\n')
    .filter((line) => line && !line.startsWith(':'))
    .map((line) => line.split('\t')[0]);

describe('msfctl completion', () => {
  it('prints a script for bash, zsh and fish that completes msfctl', async () => {
    const [bash, zsh, fish] = await Promise.all([
      run('completion', 'bash'),
      run('completion', 'zsh'),
      run('completion', 'fish'),
    ]);
    expect(bash.code).toBe(0);
    expect(bash.stdout).toContain('complete -F __msfctl_complete msfctl');
    expect(zsh.stdout).toContain('#compdef msfctl');
    expect(fish.stdout).toContain('complete -c msfctl');
  });

  it('refuses a shell it has no script for, naming the choices', async () => {
    const result = await run('completion', 'tcsh');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('tcsh');
    expect(result.stderr).toContain('bash');
  });

  it('answers the scripts with commands, subcommands and options', async () => {
    const [top, snapshot, apply] = await Promise.all([
      run('complete', '--', 'sn'),
      run('complete', '--', 'snapshot', ''),
      run('complete', '--', 'apply', '--b'),
    ]);
    expect(values(top.stdout)).toEqual(['snapshot']);
    expect(values(snapshot.stdout)).toEqual(expect.arrayContaining(['create', 'list', 'delete', 'prune']));
    expect(values(apply.stdout)).toContain('--bake');
  });
});
