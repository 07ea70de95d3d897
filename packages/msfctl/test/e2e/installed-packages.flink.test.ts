/**
 * msfctl and msf-local as a user installs them: every workspace packed with npm (compiled JavaScript, the Java
 * tools' jars), the tarballs installed into an empty directory, and from there — with only that install's bins,
 * node and java on PATH (no Maven, no tsx, nothing of this clone) and a fresh runtime cache — msf-local started,
 * the stock-prices sample deployed with the installed msfctl, and its output read.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { buildStockPrices } from '../../../../examples/stock-prices/build.js';
import { kinesisClientFor } from '../../../../examples/stock-prices/tail.js';
import { installPacked, type InstalledPackages } from '../../../../scripts/install-packed.js';
import { CREDENTIALS, createStream, recordsAfter } from './support/e2e.js';

const run = promisify(execFile);
let dir: string;
let installed: InstalledPackages;
let env: NodeJS.ProcessEnv;
let server: ChildProcess | undefined;
let endpoint: string;
let jar: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'msfctl-installed-'));
  [installed, jar] = await Promise.all([
    installPacked(dir),
    buildStockPrices({ flink: '1.19', variant: 'baseline', log: () => undefined }),
  ]);
  env = {
    ...installed.env,
    // A runtime cache of its own: the installed packages lay out Flink from their packed jars, not from a
    // cache this clone's Maven builds filled.
    MSF_LOCAL_CACHE: path.join(dir, 'cache'),
    AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
    AWS_REGION: 'us-east-1',
  };
});

afterAll(async () => {
  if (server?.exitCode === null) {
    const exited = new Promise((resolve) => server!.once('exit', resolve));
    server.kill('SIGTERM');
    await exited;
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Runs an installed bin by name through the clean PATH, in `cwd`. */
async function bin(name: string, args: string[], cwd = installed.dir) {
  try {
    const { stdout, stderr } = await run(name, args, { cwd, env, maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

describe('the packed and installed msfctl and msf-local', () => {
  it('ship compiled JavaScript, types and jars, and no sources or tests', () => {
    const modules = path.join(installed.dir, 'node_modules');
    for (const name of ['msfctl', 'msf-local', 'msf-flink-runtime']) {
      const pkg = path.join(modules, name);
      // Copies unpacked from the tarballs, not links back into this clone.
      expect(lstatSync(pkg).isSymbolicLink(), name).toBe(false);
      expect(existsSync(path.join(pkg, 'src')), `${name}/src`).toBe(false);
      expect(existsSync(path.join(pkg, 'test')), `${name}/test`).toBe(false);
      expect(existsSync(path.join(pkg, 'dist', 'index.d.ts')), `${name}/dist/index.d.ts`).toBe(true);
    }
    const jars = readdirSync(path.join(modules, 'msf-flink-runtime', 'jars'));
    expect(jars).toContain('manifest.json');
    expect(jars).toContain('properties-agent.jar');
    expect(jars).toContain('flink-host-1.19.3.jar');
  });

  it('print their versions', async () => {
    expect((await bin('msfctl', ['--version'])).stdout.trim()).toBe('0.1.0');
    expect((await bin('msf-local', ['--version'])).stdout.trim()).toBe('0.1.0');
  });

  it('start msf-local, deploy the sample JAR with msfctl, and the job writes its output', async () => {
    server = spawn('msf-local', ['start', '--port', '0', '--data-dir', path.join(dir, 'data'), '--quiet'], {
      cwd: installed.dir,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    server.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()));
    endpoint = await new Promise<string>((resolve, reject) => {
      let out = '';
      server!.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const match = /listening on (http:\/\/\S+)/.exec(out);
        if (match) resolve(match[1]!);
      });
      server!.once('exit', (code) =>
        reject(new Error(`msf-local exited (${code}) before listening:\n${log}`)),
      );
    });
    const port = Number(new URL(endpoint).port);

    const kinesis = kinesisClientFor(endpoint, 'us-east-1');
    try {
      await createStream(kinesis, 'ExampleOutputStream');
      const project = path.join(dir, 'project');
      mkdirSync(project);
      writeFileSync(
        path.join(project, 'msfctl.yaml'),
        stringify({
          application: 'stock-prices',
          runtime: 'FLINK-1_19',
          running: true,
          code: { jar },
          artifacts: { bucket: 'stock-prices-artifacts' },
          parallelism: { parallelism: 1, perKpu: 1, autoscaling: false },
          monitoring: { logLevel: 'ERROR', metricsLevel: 'APPLICATION' },
          properties: { OutputStream0: { 'stream.name': 'ExampleOutputStream', 'aws.region': 'us-east-1' } },
          target: { kind: 'local', port, dataDir: path.join(dir, 'data') },
          deploy: { bakeSeconds: 0 },
        }),
      );
      const started = Date.now();
      const applied = await bin('msfctl', ['apply', '--auto-approve'], project);
      expect(applied.code, `${applied.stdout}\n${applied.stderr}\nmsf-local:\n${log}`).toBe(0);

      const status = await bin('msfctl', ['status', '--json'], project);
      expect(JSON.parse(status.stdout)).toMatchObject({
        status: 'RUNNING',
        versionId: 1,
        runtime: 'FLINK-1_19',
      });
      const records = await recordsAfter(kinesis, 'ExampleOutputStream', started - 10_000, 2);
      expect(new Set(records.map((record) => record.ticker)).size).toBeGreaterThan(1);
      // The cluster ran on the Flink the installed package laid out, in this test's own cache.
      expect(readdirSync(path.join(dir, 'cache', 'flink'))).toContain('FLINK-1_19');
    } finally {
      kinesis.destroy();
    }
  });
});
