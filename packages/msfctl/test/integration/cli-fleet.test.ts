/**
 * Fleets through the msfctl binary against one real msf-local (control plane and S3; no job runtime, so the
 * applications stay READY): a directory of 12 specs planned and applied in one run, 3 edited and exactly those
 * planned, a broken spec that blocks nobody, a throttled target that still converges, and `msfctl list`.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startMsfLocal, type MsfLocal } from 'msf-local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMPTY_ZIP, msfctl } from '../harness/msfctl-cli.js';

let server: MsfLocal;
let work: string;
let fleet: string;

const NAMES = Array.from({ length: 12 }, (_, i) => `fleet-${String(i + 1).padStart(2, '0')}`);

function spec(name: string, logLevel = 'ERROR'): string {
  return `application: ${name}
runtime: FLINK-1_19
running: false
code:
  jar: ./app.jar
artifacts:
  bucket: artifacts
monitoring:
  logLevel: ${logLevel}
target:
  kind: local
  port: ${server.port}
  dataDir: ${server.dataDir}
`;
}

interface FleetJson {
  ok: boolean;
  counts: Record<string, number>;
  applications: {
    application: string | null;
    file: string;
    result: string;
    changed: boolean;
    error?: { code: string; message: string };
  }[];
}

const byResult = (json: FleetJson, result: string) =>
  json.applications.filter((a) => a.result === result).map((a) => a.application);

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'msfctl-fleet-'));
  server = await startMsfLocal({
    dataDir: path.join(work, 'msf-local'),
    port: 0,
    runtime: null,
    kinesis: false,
    log: () => undefined,
  });
  fleet = path.join(work, 'fleet');
  mkdirSync(fleet);
  writeFileSync(path.join(fleet, 'app.jar'), EMPTY_ZIP);
  for (const name of NAMES) writeFileSync(path.join(fleet, `${name}.yaml`), spec(name));
});

afterAll(async () => {
  await server?.close();
});

describe('msfctl fleets against msf-local', () => {
  it('a directory of 12 specs: planned and applied in one run each, then nothing to do', async () => {
    const plan = await msfctl(['plan', '-f', 'fleet', '--detailed-exitcode', '--json'], { cwd: work });
    expect(plan.code, plan.stderr).toBe(2);
    const planned = plan.json as FleetJson;
    expect(byResult(planned, 'changes').sort()).toEqual(NAMES);

    const applied = await msfctl(['apply', '-f', 'fleet', '--auto-approve', '--parallelism', '4'], {
      cwd: work,
    });
    expect(applied.code, applied.stderr + applied.stdout).toBe(0);
    expect(applied.stdout).toMatch(/apply over 12 specs: 12 applied\./);
    for (const name of NAMES) expect(applied.stdout).toContain(name);

    const again = await msfctl(['plan', '-f', 'fleet', '--detailed-exitcode'], { cwd: work });
    expect(again.code, again.stdout).toBe(0);
    expect(again.stdout).toMatch(/plan over 12 specs: 12 no changes\./);

    const status = await msfctl(['status', '-f', `fleet/*.yaml`, '--json'], { cwd: work });
    expect(status.code, status.stderr).toBe(0);
    expect((status.json as FleetJson).counts).toEqual({ READY: 12 });

    // Stopped applications publish no metrics: health is unknown for each, exit 2 over the fleet.
    const health = await msfctl(['health', '-f', 'fleet', '--json'], { cwd: work });
    expect(health.code, health.stderr).toBe(2);
    expect((health.json as FleetJson).counts).toEqual({ unknown: 12 });
  });

  it('3 specs edited: the fleet plan shows exactly those 3; a broken spec blocks none of them', async () => {
    const edited = [NAMES[1]!, NAMES[5]!, NAMES[10]!];
    for (const name of edited) writeFileSync(path.join(fleet, `${name}.yaml`), spec(name, 'WARN'));
    writeFileSync(path.join(fleet, 'zz-broken.yaml'), spec('broken').replace('FLINK-1_19', 'FLINK-9_9'));
    try {
      const plan = await msfctl(['plan', '-f', 'fleet', '--detailed-exitcode', '--json'], { cwd: work });
      expect(plan.code).toBe(1); // an error anywhere wins over "changes"
      const json = plan.json as FleetJson;
      expect(byResult(json, 'changes').sort()).toEqual(edited);
      expect(byResult(json, 'no changes')).toHaveLength(9);
      const broken = json.applications.find((a) => a.result === 'error')!;
      expect(broken.file).toMatch(/zz-broken\.yaml$/);
      expect(broken.error!.message).toMatch(/zz-broken\.yaml:2:\d+: runtime: must be one of/);

      const applied = await msfctl(['apply', '-f', 'fleet', '--auto-approve'], { cwd: work });
      expect(applied.code).toBe(1);
      expect(applied.stdout).toMatch(/fleet-02 +fleet\/fleet-02\.yaml +applied +update → READY at version 2/);
      expect(applied.stdout).toMatch(/fleet-01 +fleet\/fleet-01\.yaml +unchanged +READY at version 1/);
      expect(applied.stdout).toMatch(/apply over 13 specs: .*3 applied/);
      expect(applied.stdout).toMatch(/✗ fleet\/zz-broken\.yaml is not a valid spec/);
    } finally {
      writeFileSync(path.join(fleet, 'zz-broken.yaml'), '');
    }
  });

  it('a throttled target still converges: adaptive retries, every application applied', async () => {
    writeFileSync(path.join(fleet, 'zz-broken.yaml'), spec('fleet-13'));
    for (const name of NAMES) writeFileSync(path.join(fleet, `${name}.yaml`), spec(name, 'INFO'));
    server.throttle({ requestsPerSecond: 8, burst: 4 });
    try {
      const applied = await msfctl(
        ['apply', '-f', 'fleet', '--auto-approve', '--parallelism', '8', '--json'],
        {
          cwd: work,
        },
      );
      const counters = server.throttleCounters();
      expect(applied.code, applied.stderr).toBe(0);
      expect((applied.json as FleetJson).counts).toEqual({ applied: 13 });
      expect(counters.throttled).toBeGreaterThan(0);
    } finally {
      server.throttle(undefined);
    }
    const plan = await msfctl(['plan', '-f', 'fleet', '--detailed-exitcode'], { cwd: work });
    expect(plan.code, plan.stdout).toBe(0);
  });

  it('msfctl list: every application of the target, managed or not', async () => {
    const stray = path.join(work, 'stray');
    mkdirSync(stray);
    writeFileSync(path.join(stray, 'app.jar'), EMPTY_ZIP);
    writeFileSync(path.join(stray, 'msfctl.yaml'), spec('stray'));
    expect((await msfctl(['apply', '--auto-approve'], { cwd: stray })).code).toBe(0);
    const list = await msfctl(['list', '-f', 'fleet', '--json'], { cwd: work });
    expect(list.code, list.stderr).toBe(0);
    const apps = (list.json as { applications: { name: string; status: string; managed: string | null }[] })
      .applications;
    expect(apps.map((a) => a.name).sort()).toEqual([...NAMES, 'fleet-13', 'stray'].sort());
    expect(apps.find((a) => a.name === 'stray')!.managed).toBeNull();
    expect(apps.find((a) => a.name === 'fleet-01')!.managed).toMatch(/fleet-01\.yaml$/);
    const human = await msfctl(['list', '--target', 'local', '--endpoint-url', server.url], { cwd: stray });
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/stray\s.*READY/);
    expect(readFileSync(path.join(stray, 'msfctl.yaml'), 'utf8')).toContain('stray');
  });
});
