/** The `deploy` spec block, its defaults, the flags that override it for one run, and their errors. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MsfctlError } from '../../src/model/errors.js';
import { deploySettings } from '../../src/model/deploy-settings.js';
import { loadSpec } from '../../src/spec/load.js';
import { msfctl } from '../harness/msfctl-cli.js';

const BASE = `application: app
runtime: FLINK-1_19
role: arn:aws:iam::123456789012:role/r
code:
  s3: { bucket: code-bucket, key: app.jar }
`;

function project(yaml: string): string {
  const d = mkdtempSync(path.join(tmpdir(), 'msfctl-deploy-'));
  writeFileSync(path.join(d, 'msfctl.yaml'), yaml);
  return d;
}

describe('deploy settings', () => {
  it('a spec without deploy gets the safe defaults: bake 120 s, roll back, refuse state loss', () => {
    const { spec } = loadSpec({ cwd: project(BASE), env: {} });
    expect(spec.deploy).toEqual({ bakeSeconds: 120, onFailure: 'rollback', acceptStateLoss: false });
    expect(deploySettings({}, spec.deploy)).toEqual(spec.deploy);
  });

  it('a partial deploy block keeps the other defaults; bad values name the field', () => {
    const { spec } = loadSpec({ cwd: project(`${BASE}deploy: { bakeSeconds: 30 }\n`), env: {} });
    expect(spec.deploy).toEqual({ bakeSeconds: 30, onFailure: 'rollback', acceptStateLoss: false });
    let error: unknown;
    try {
      loadSpec({ cwd: project(`${BASE}deploy: { onFailure: retry, bakeSeconds: -1 }\n`), env: {} });
    } catch (e) {
      error = e;
    }
    expect(MsfctlError.is(error, 'SPEC_INVALID')).toBe(true);
    expect((error as Error).message).toMatch(/deploy\.onFailure: .*"rollback"/);
    expect((error as Error).message).toMatch(/deploy\.bakeSeconds: /);
  });

  it('flags win over the spec, the spec over a saved plan, the saved plan over the defaults', () => {
    const spec = { bakeSeconds: 30, onFailure: 'stop' as const, acceptStateLoss: false };
    expect(deploySettings({ bake: 0, onFailure: 'none', acceptStateLoss: true }, spec)).toEqual({
      bakeSeconds: 0,
      onFailure: 'none',
      acceptStateLoss: true,
    });
    expect(deploySettings({}, spec, { bakeSeconds: 5, onFailure: 'none' })).toEqual(spec);
    expect(deploySettings({}, undefined, { bakeSeconds: 5, onFailure: 'none' })).toEqual({
      bakeSeconds: 5,
      onFailure: 'none',
      acceptStateLoss: false,
    });
  });

  it('the binary rejects a bad --bake or --on-failure before touching anything', async () => {
    const cwd = project(BASE);
    const bake = await msfctl(['apply', '--bake', 'soon'], { cwd });
    expect(bake.code).toBe(1);
    expect(bake.stderr).toContain('--bake must be a whole number of seconds, 0 or more (got soon).');
    const policy = await msfctl(['restart', '--on-failure', 'retry'], { cwd });
    expect(policy.code).toBe(1);
    expect(policy.stderr).toContain('--on-failure must be one of rollback, stop, none, not "retry".');
  });

  it('the binary lists the safe-deploy flags on plan, apply, start, restart, rollback and has `health`', async () => {
    const cwd = project(BASE);
    const help = async (...args: string[]) => (await msfctl([...args, '--help'], { cwd })).stdout;
    for (const command of ['plan', 'apply']) {
      const text = await help(command);
      for (const flag of [
        '--bake <seconds>',
        '--on-failure <policy>',
        '--accept-state-loss',
        '--allow-non-restored-state',
      ])
        expect(text, `${command} ${flag}`).toContain(flag);
    }
    for (const command of ['start', 'restart', 'rollback'])
      expect(await help(command)).toContain('--bake <seconds>');
    expect(await help('health')).toContain('--watch');
  });
});
