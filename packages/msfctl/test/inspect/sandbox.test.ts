import { describe, expect, it } from 'vitest';
import { assertInspectableRuntime } from '../../src/adapters/inspector/inspect-jar.js';
import { sandboxEnv } from '../../src/adapters/inspector/sandbox.js';

describe('the inspector', () => {
  it('refuses a runtime it cannot inspect, listing the supported ones', () => {
    expect(() => assertInspectableRuntime('FLINK-1_15')).toThrow(
      /FLINK-1_15.*FLINK-1_19, FLINK-1_20, FLINK-2_2/,
    );
    expect(assertInspectableRuntime('FLINK-2_2')).toBe('FLINK-2_2');
  });
});

describe('sandboxEnv', () => {
  it('drops the caller AWS identity and points the SDKs at a dead loopback endpoint', () => {
    const env = sandboxEnv({
      PATH: '/usr/bin',
      AWS_PROFILE: 'prod',
      AWS_ACCESS_KEY_ID: 'AKIAREAL',
      AWS_SESSION_TOKEN: 'token',
      AWS_REGION: 'eu-west-1',
    });
    expect(env.PATH).toBe('/usr/bin');
    expect(env.AWS_PROFILE).toBeUndefined();
    expect(env.AWS_SESSION_TOKEN).toBeUndefined();
    expect(env.AWS_ACCESS_KEY_ID).toBe('msfctl-inspector');
    expect(env.AWS_REGION).toBe('eu-west-1');
    expect(env.AWS_ENDPOINT_URL).toBe('http://127.0.0.1:9');
    expect(env.AWS_EC2_METADATA_DISABLED).toBe('true');
  });
});
