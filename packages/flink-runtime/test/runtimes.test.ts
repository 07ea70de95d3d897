import { describe, expect, it } from 'vitest';
import { FLINK_RUNTIMES, flinkLineOfRuntime, isSupportedRuntime, runtimeSpec } from '../src/index.js';

describe('the runtime table msf-local and msfctl share', () => {
  it('pins each runtime environment to a Flink release of its own line', () => {
    for (const [runtime, spec] of Object.entries(FLINK_RUNTIMES)) {
      expect(spec.runtimeEnvironment).toBe(runtime);
      expect(spec.flinkVersion.startsWith(`${flinkLineOfRuntime(runtime)}.`)).toBe(true);
    }
  });

  it('names the Flink line of any MSF runtime environment', () => {
    expect(flinkLineOfRuntime('FLINK-1_20')).toBe('1.20');
    expect(flinkLineOfRuntime('FLINK-2_2')).toBe('2.2');
    expect(flinkLineOfRuntime('FLINK-1_15')).toBe('1.15');
    expect(flinkLineOfRuntime('SQL-1_0')).toBeNull();
  });

  it('refuses a runtime environment it has no Flink for, listing the supported ones', () => {
    expect(isSupportedRuntime('FLINK-1_15')).toBe(false);
    expect(() => runtimeSpec('FLINK-1_15')).toThrow(/FLINK-1_15.*FLINK-1_19, FLINK-1_20, FLINK-2_2/);
  });
});
