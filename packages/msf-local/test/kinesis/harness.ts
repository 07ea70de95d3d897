import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { KinesisClient } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { EdgeServer } from '../../src/server/edge-server.js';
import { KinesisLocal, KinesisProxyService } from '../../src/kinesis/index.js';

export const TEST_CREDENTIALS = { accessKeyId: 'AKIDMSFLOCAL', secretAccessKey: 'msf-local-secret' };
export const REGION = 'us-east-1';

export async function makeDataDir(prefix = 'msf-kinesis-'): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), prefix));
}

/** Every Node Kinesis client in the project uses HTTP/1.1: the SDK's default HTTP/2 handler fails on kinesis-mock. */
export function kinesisClient(endpoint: string): KinesisClient {
  return new KinesisClient({
    endpoint,
    region: REGION,
    credentials: TEST_CREDENTIALS,
    requestHandler: new NodeHttpHandler(),
  });
}

/** kinesis-local behind a real EdgeServer on 127.0.0.1:0, as msf-local wires them. */
export interface KinesisHarness {
  kinesis: KinesisLocal;
  proxy: KinesisProxyService;
  edge: EdgeServer;
  edgeUrl: string;
  dataDir: string;
  dispose(): Promise<void>;
}

export async function startKinesisBehindEdge(): Promise<KinesisHarness> {
  const dataDir = await makeDataDir();
  const kinesis = new KinesisLocal({ dataDir, transitionMs: 100 });
  await kinesis.start();
  const proxy = new KinesisProxyService({
    upstream: () => (kinesis.running ? kinesis.endpoint.url : undefined),
  });
  const edge = new EdgeServer({ host: '127.0.0.1', port: 0, services: [proxy] });
  const { url } = await edge.listen();
  return {
    kinesis,
    proxy,
    edge,
    edgeUrl: url,
    dataDir,
    async dispose() {
      await edge.close();
      proxy.close();
      await kinesis.stop();
      await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** The addresses a process listens on (TCP), from `ss -ltnp`. */
export function listeningAddresses(pid: number): string[] {
  let out: string;
  try {
    out = execFileSync('ss', ['-ltnpH'], { encoding: 'utf8' });
  } catch (error) {
    throw new Error(
      `cannot run \`ss -ltnp\` (iproute2) to check listening sockets: ${(error as Error).message}`,
    );
  }
  return out
    .split('\n')
    .filter((line) => line.includes(`pid=${pid},`))
    .map((line) => line.trim().split(/\s+/)[3] ?? '');
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
