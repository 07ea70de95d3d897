import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { childEnvironment } from '../src/child-environment.js';

const proto = Object.prototype as Record<string, unknown>;

afterEach(() => {
  delete proto.JAVA_TOOL_OPTIONS;
});

describe('childEnvironment', () => {
  it('keeps own string entries, later sources winning, and drops undefined values', () => {
    const env = childEnvironment({ A: '1', B: '2', C: undefined }, { B: '3' }, undefined);
    expect({ ...env }).toEqual({ A: '1', B: '3' });
    expect(Object.getPrototypeOf(env)).toBeNull();
  });

  it('gives a child nothing written onto Object.prototype, where a plain env object would', () => {
    proto.JAVA_TOOL_OPTIONS = '-Dpolluted=yes';
    const leaked = spawnSync('env', [], { env: { PATH: process.env.PATH }, encoding: 'utf8' }).stdout;
    // Node copies inherited keys into the child's environment: this is the hole being closed.
    expect(leaked).toContain('JAVA_TOOL_OPTIONS=-Dpolluted=yes');
    const explicit = spawnSync('env', [], {
      env: childEnvironment({ PATH: process.env.PATH }),
      encoding: 'utf8',
    });
    expect(explicit.stdout).not.toContain('JAVA_TOOL_OPTIONS');
    expect(explicit.stdout).toContain('PATH=');
  });
});
