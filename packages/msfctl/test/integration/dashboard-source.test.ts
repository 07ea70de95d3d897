/**
 * msfctl's DashboardSource against a real msf-local (control plane, S3, CloudWatch; no job runtime, so the
 * applications stay READY): the dashboard package's conformance suite, then what the pages show of real
 * applications — an applied one, one changed outside msfctl, a spec not deployed, an application no spec names.
 * Applications go through the msfctl binary and the AWS SDK, as a user and another tool would.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  CreateApplicationCommand,
  KinesisAnalyticsV2Client,
  UpdateApplicationCommand,
} from '@aws-sdk/client-kinesis-analytics-v2';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { startMsfLocal, type MsfLocal } from 'msf-local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeDashboardSource } from '../../../dashboard/test/support/source-conformance.js';
import { createSilentHost } from '../../src/adapters/io/memory-host.js';
import { openTarget, type OpenedTarget } from '../../src/adapters/targets/open-target.js';
import { resolveTarget } from '../../src/adapters/targets/target.js';
import {
  msfctlDashboardHandler,
  msfctlDashboardSource,
  type SpecFile,
} from '../../src/cli/dashboard-source.js';
import type { MsfctlDashboardSource } from '../../src/controller/dashboard/source.js';
import { loadSpec } from '../../src/spec/load.js';
import { EMPTY_ZIP, MSFCTL_BIN, msfctl } from '../harness/msfctl-cli.js';

const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };
const signal = () => AbortSignal.timeout(30_000);

let server: MsfLocal;
let work: string;
let ports: OpenedTarget;
let source: MsfctlDashboardSource;
let kda: KinesisAnalyticsV2Client;
const specFiles: string[] = [];

function writeProject(name: string): string {
  const dir = path.join(work, name);
  mkdirSync(dir);
  writeFileSync(path.join(dir, 'app.jar'), EMPTY_ZIP);
  writeFileSync(
    path.join(dir, 'msfctl.yaml'),
    `application: ${name}
runtime: FLINK-1_20
running: false
code:
  jar: ./app.jar
artifacts:
  bucket: artifacts
monitoring:
  logLevel: ERROR
parallelism:
  parallelism: 3
  perKpu: 2
  autoscaling: false
target:
  kind: local
  port: ${server.port}
  dataDir: ${server.dataDir}
`,
  );
  specFiles.push(path.join(dir, 'msfctl.yaml'));
  return dir;
}

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'msfctl-dashboard-'));
  server = await startMsfLocal({
    dataDir: path.join(work, 'msf-local'),
    port: 0,
    runtime: null,
    kinesis: false,
    log: () => undefined,
  });
  const common = { endpoint: server.url, region: 'us-east-1', credentials: CREDENTIALS };
  kda = new KinesisAnalyticsV2Client(common);
  for (const name of ['dash-synced', 'dash-drift']) {
    const applied = await msfctl(['apply', '--auto-approve'], { cwd: writeProject(name) });
    expect(applied.code, applied.stderr).toBe(0);
  }
  writeProject('dash-pending');
  // Changed outside msfctl: another tool raises the log level.
  await kda.send(
    new UpdateApplicationCommand({
      ApplicationName: 'dash-drift',
      CurrentApplicationVersionId: 1,
      ApplicationConfigurationUpdate: {
        FlinkApplicationConfigurationUpdate: {
          MonitoringConfigurationUpdate: { ConfigurationTypeUpdate: 'CUSTOM', LogLevelUpdate: 'DEBUG' },
        },
      },
    }),
  );
  // No spec names this one.
  const s3 = new S3Client({ ...common, forcePathStyle: true });
  await s3.send(new PutObjectCommand({ Bucket: 'artifacts', Key: 'other.jar', Body: EMPTY_ZIP }));
  s3.destroy();
  await kda.send(
    new CreateApplicationCommand({
      ApplicationName: 'dash-other',
      RuntimeEnvironment: 'FLINK-1_19',
      ServiceExecutionRole: 'arn:aws:iam::000000000000:role/msf-local',
      ApplicationConfiguration: {
        ApplicationCodeConfiguration: {
          CodeContentType: 'ZIPFILE',
          CodeContent: { S3ContentLocation: { BucketARN: 'arn:aws:s3:::artifacts', FileKey: 'other.jar' } },
        },
      },
    }),
  );
  const resolved = resolveTarget({ kind: 'local', port: server.port, dataDir: server.dataDir }, {});
  ports = await openTarget(resolved, createSilentHost());
  source = msfctlDashboardSource({
    ports,
    baseDir: work,
    unmanaged: true,
    specFiles: (): SpecFile[] => specFiles.map((file) => ({ file, loaded: loadSpec({ file }) })),
  });
}, 180_000);

afterAll(async () => {
  ports?.close();
  kda?.destroy();
  await server?.close();
});

describeDashboardSource('msfctl on msf-local', async () => source);

describe('msfctl dashboard source on msf-local', () => {
  it('lists managed and unmanaged applications with their status, capacity and drift', async () => {
    const rows = await source.fleet(signal());
    const by = Object.fromEntries(rows.map((r) => [r.name, r]));
    expect(Object.keys(by).sort()).toEqual(['dash-drift', 'dash-other', 'dash-pending', 'dash-synced']);
    expect(by['dash-synced']).toMatchObject({
      status: 'READY',
      version: 1,
      runtime: 'FLINK-1_20',
      health: { state: 'not-running' },
      capacity: { parallelism: 3, parallelismPerKpu: 2, autoscaling: false, kpus: 0, kpusConfigured: 2 },
      drift: { state: 'in-sync', fields: [] },
      spec: path.join('dash-synced', 'msfctl.yaml'),
      lastOperation: { operation: 'apply', outcome: 'succeeded' },
    });
    expect(by['dash-drift']!.drift).toMatchObject({
      state: 'drifted',
      fields: ['monitoring.logLevel', 'UpdateApplication'],
    });
    expect(by['dash-drift']!.version).toBe(2);
    expect(by['dash-pending']).toMatchObject({
      drift: { state: 'pending' },
      health: { state: 'not-running' },
    });
    expect(by['dash-pending']!.status).toBeUndefined();
    expect(by['dash-other']).toMatchObject({ status: 'READY', drift: { state: 'unmanaged' } });
    expect(by['dash-other']!.spec).toBeUndefined();
  });

  it("merges the ledger into the timeline: msfctl's apply with who ran it, the outside update as the service's", async () => {
    const detail = (await source.application('dash-drift', signal()))!;
    const [outside, apply] = detail.timeline;
    expect(outside).toMatchObject({ source: 'service', kind: 'UpdateApplication', outcome: 'succeeded' });
    expect(outside!.summary).toContain('outside msfctl');
    expect(apply).toMatchObject({ source: 'msfctl', kind: 'apply', outcome: 'succeeded' });
    expect(apply!.who).toMatch(/.+@.+/);
    expect(apply!.operations.map((o) => o.operation)).toContain('CreateApplication');
    expect(detail.versions.map((v) => [v.versionId, v.current, v.lastGood])).toEqual([
      [2, true, false],
      [1, false, true],
    ]);
    expect(detail.specDiff.state).toBe('differs');
    expect(detail.specDiff.fields.filter((f) => f.differs)).toEqual([
      { field: 'monitoring.logLevel', kind: 'config', spec: 'ERROR', live: 'DEBUG', differs: true },
    ]);
    // The JAR is compared by its digest: the spec's app.jar is the one deployed.
    expect(detail.specDiff.fields.find((f) => f.field === 'code')).toMatchObject({ differs: false });
    expect(detail.flinkDashboard).toMatchObject({ available: false });
    expect(await source.flinkDashboard('dash-drift', signal())).toEqual({
      unavailable: expect.stringContaining('READY'),
    });
  });

  it('shows a spec edit as pending until it is applied', async () => {
    const file = specFiles.find((f) => f.includes('dash-synced'))!;
    const { readFileSync } = await import('node:fs');
    const before = readFileSync(file, 'utf8');
    writeFileSync(file, before.replace('parallelism: 3', 'parallelism: 4'));
    try {
      const row = (await source.fleet(signal())).find((r) => r.name === 'dash-synced')!;
      expect(row.drift).toMatchObject({ state: 'pending', fields: ['parallelism.parallelism'] });
    } finally {
      writeFileSync(file, before);
    }
  });

  it('answers undefined for an application that only another target has, and gives up on an aborted read', async () => {
    expect(await source.application('nowhere', signal())).toBeUndefined();
    await expect(source.application('dash-synced', AbortSignal.abort())).rejects.toThrow();
  });
});

describe('the dashboard handler, mounted in another server', () => {
  it("serves the pages' API under the dashboard's access rules and passes other paths on", async () => {
    const handler = await msfctlDashboardHandler(
      {
        ports,
        baseDir: work,
        unmanaged: false,
        specFiles: () => specFiles.map((file) => ({ file, loaded: loadSpec({ file }) })),
      },
      { token: 'a-token-of-sixteen-chars' },
    );
    // The controller's own paths (/metrics, /status) beside the dashboard's.
    const outer = createServer((req, res) =>
      handler.handle(req, res, (_req, next) => {
        next.setHeader('Content-Type', 'text/plain');
        next.end('controller_up 1\n');
      }),
    );
    await new Promise<void>((resolve) => outer.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(outer.address() as AddressInfo).port}`;
    const auth = { headers: { authorization: 'Bearer a-token-of-sixteen-chars' } };
    try {
      expect((await fetch(`${base}/api/v1/fleet`)).status).toBe(401);
      expect((await fetch(`${base}/metrics`)).status).toBe(401);
      const fleet = (await (await fetch(`${base}/api/v1/fleet`, auth)).json()) as {
        applications: { name: string }[];
      };
      expect(fleet.applications.map((a) => a.name)).toEqual(['dash-drift', 'dash-pending', 'dash-synced']);
      expect(await (await fetch(`${base}/metrics`, auth)).text()).toBe('controller_up 1\n');
      expect(handler.source.target).toBe(`msf-local at ${server.url}`);
    } finally {
      handler.close();
      outer.closeAllConnections();
      await new Promise((resolve) => outer.close(resolve));
    }
  });
});

describe('msfctl dashboard (the binary)', () => {
  it('serves the fleet of the spec here on 127.0.0.1, and stops on SIGTERM', async () => {
    const cwd = path.dirname(specFiles.find((f) => f.includes('dash-drift'))!);
    const child = spawn(process.execPath, [MSFCTL_BIN, 'dashboard', '--json'], {
      cwd,
      env: { ...process.env, ...CLI_ENV },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const started = (await firstDocument(child)) as { url: string; target: string };
      expect(started.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      expect(started.target).toBe(`msf-local at ${server.url}`);
      const fleet = (await (await fetch(`${started.url}api/v1/fleet`)).json()) as {
        applications: { name: string; drift: { state: string } }[];
      };
      // The spec here manages one application; the others are not shown without --all.
      expect(fleet.applications.map((a) => [a.name, a.drift.state])).toEqual([['dash-drift', 'drifted']]);
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('serves a spec set: directories as sources, a broken spec as its own row naming the field', async () => {
    mkdirSync(path.join(work, 'broken'));
    writeFileSync(path.join(work, 'broken', 'msfctl.yaml'), 'application: broken\nruntime: FLINK-0_1\n');
    const child = spawn(
      process.execPath,
      [MSFCTL_BIN, 'dashboard', '--json', 'dash-synced', 'dash-drift', 'dash-pending', 'broken'],
      { cwd: work, env: { ...process.env, ...CLI_ENV }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    try {
      const started = (await firstDocument(child)) as { url: string };
      const fleet = (await (await fetch(`${started.url}api/v1/fleet`)).json()) as {
        applications: { name: string; drift: { state: string }; spec?: string; error?: string }[];
      };
      expect(fleet.applications.map((a) => [a.name, a.drift.state, a.spec])).toEqual([
        ['broken', 'unknown', path.join('broken', 'msfctl.yaml')],
        ['dash-drift', 'drifted', path.join('dash-drift', 'msfctl.yaml')],
        ['dash-pending', 'pending', path.join('dash-pending', 'msfctl.yaml')],
        ['dash-synced', 'in-sync', path.join('dash-synced', 'msfctl.yaml')],
      ]);
      expect(fleet.applications[0]!.error).toContain('runtime');
    } finally {
      child.kill('SIGTERM');
    }
  });

  it('refuses a non-loopback address without a token, naming the flag', async () => {
    const result = await msfctl(['dashboard', '--host', '0.0.0.0'], { cwd: work });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('--host 0.0.0.0 is not a loopback address: it needs --token');
    expect(result.stderr).not.toMatch(/\n\s+at /);
    const short = await msfctl(['dashboard', '--host', '0.0.0.0', '--token', 'short'], { cwd: work });
    expect(short.code).toBe(1);
    expect(short.stderr).toContain('at least 16 characters');
  });
});

const CLI_ENV = {
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  AWS_REGION: 'us-east-1',
  NO_COLOR: '1',
};

/** The first JSON document the child prints on stdout (--json documents are indented, over several lines). */
function firstDocument(child: ChildProcess): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      try {
        resolve(JSON.parse(out));
      } catch {
        // not complete yet
      }
    });
    child.once('exit', (code) => reject(new Error(`msfctl dashboard exited (${code}): ${err}`)));
  });
}
