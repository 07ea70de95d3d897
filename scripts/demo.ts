/**
 * `npm run demo`: from a fresh clone (dependencies are installed by the predemo step), start msf-local, create
 * the output stream, build and deploy examples/stock-prices with msfctl, wait for averaged prices and print a
 * few, print `msfctl status`, and say how to clean up. Needs Java 17 and Maven on the PATH.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateStreamCommand, waitUntilStreamExists } from '@aws-sdk/client-kinesis';
import { kinesisClientFor, tailStream, type StockPrice } from '../examples/stock-prices/tail.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DEFAULT_PORT = 4577;

/** True when nothing listens on 127.0.0.1:`port`. */
function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** True when msf-local (an earlier demo's) answers on `port`: it is reused. */
async function msfLocalAnswers(port: number): Promise<boolean> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'KinesisAnalytics_20180523.ListApplications',
      },
      body: '{}',
      signal: AbortSignal.timeout(3_000),
    });
    return res.ok && 'ApplicationSummaries' in ((await res.json()) as object);
  } catch {
    return false;
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * The demo's spec and endpoint: port 4577 as the spec says, unless another program holds it; then a free port,
 * in a copy of the spec beside it (so its relative paths still hold), and the demo says so.
 */
async function demoTarget(): Promise<{ spec: string; port: number }> {
  const spec = path.join('scripts', 'demo', 'msfctl.yaml');
  if ((await portFree(DEFAULT_PORT)) || (await msfLocalAnswers(DEFAULT_PORT)))
    return { spec, port: DEFAULT_PORT };
  const port = await freePort();
  const copy = path.join('scripts', 'demo', `.msfctl.port-${port}.yaml`);
  const text = readFileSync(path.join(root, spec), 'utf8').replace(/^(\s+port:) \d+$/m, `$1 ${port}`);
  writeFileSync(path.join(root, copy), text);
  process.stdout.write(
    `Port ${DEFAULT_PORT} is taken by another program: msf-local will use port ${port} (spec ${copy}).\n`,
  );
  return { spec: copy, port };
}

const { spec, port } = await demoTarget();
const endpoint = `http://127.0.0.1:${port}`;
const stream = 'ExampleOutputStream';
const msfctlBin = path.join(root, 'packages', 'msfctl', 'bin', 'msfctl.js');
const say = (text: string) => process.stdout.write(`\n\x1b[1m▶ ${text}\x1b[0m\n`);

function need(command: string, args: string[], what: string): void {
  const result = spawnSync(command, args, { stdio: 'ignore' });
  if (result.error || result.status !== 0) {
    process.stderr.write(
      `The demo needs ${what} (\`${command}\` was not found or failed). Install it and run npm run demo again.\n`,
    );
    process.exit(1);
  }
}

/** Runs msfctl with the demo spec, its output shown as is. */
function msfctl(...args: string[]): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [msfctlBin, '-f', spec, ...args], { cwd: root, stdio: 'inherit' });
    child.on('close', (code) => resolve(code ?? 1));
  });
}

need('java', ['-version'], 'Java 17');
need('mvn', ['-v'], 'Maven 3.8+');

say('Starting msf-local (the local Managed Service for Apache Flink) in the background');
if ((await msfctl('local', 'up')) !== 0) process.exit(1);

say(`Creating the output Kinesis stream ${stream}`);
const kinesis = kinesisClientFor(endpoint, 'us-east-1');
try {
  await kinesis.send(new CreateStreamCommand({ StreamName: stream, ShardCount: 1 }));
} catch (error) {
  if ((error as { name?: string }).name !== 'ResourceInUseException') throw error;
  process.stdout.write(`${stream} exists already\n`);
}
await waitUntilStreamExists({ client: kinesis, maxWaitTime: 60 }, { StreamName: stream });

say('msfctl plan: what apply will do (msfctl builds the JAR with Maven first)');
await msfctl('plan');

say(
  'msfctl apply: upload the JAR once (by its SHA-256), create the application, start it, wait until RUNNING',
);
const deployedAt = Date.now();
if ((await msfctl('apply', '--auto-approve')) !== 0) {
  process.stderr.write(
    '\nThe deploy failed (see above). msf-local keeps running: `npx msfctl -f scripts/demo/msfctl.yaml status` shows why.\n',
  );
  process.exit(1);
}

say('Waiting for averaged prices in the output stream (10-second windows)');
const shown: StockPrice[] = [];
const stop = new AbortController();
const timer = setTimeout(() => stop.abort(), 120_000);
for await (const record of tailStream(kinesis, stream, {
  from: 'trim-horizon',
  pollMs: 500,
  signal: stop.signal,
})) {
  const price = record.value as StockPrice;
  if (price.eventTime < deployedAt - 10_000) continue; // records from an earlier run of the demo
  shown.push(price);
  process.stdout.write(
    `  ${new Date(price.eventTime).toISOString()}  ${price.ticker.padEnd(5)} ${price.price.toFixed(2)}\n`,
  );
  if (shown.length >= 12) break;
}
clearTimeout(timer);
kinesis.destroy();
if (shown.length === 0) {
  process.stderr.write(
    'No averages arrived within 2 minutes; `npx msfctl -f scripts/demo/msfctl.yaml status` shows the job.\n',
  );
  process.exit(1);
}

say('msfctl status');
await msfctl('status');

say('Done. Try next');
process.stdout
  .write(`  npx msfctl -f ${spec} history             # what msfctl did, merged with the service's operations
  npx msfctl -f ${spec} snapshot create        # take a snapshot of the running job
  npx msfctl -f ${spec} restart --no-restore   # restart with empty state
  npx tsx examples/stock-prices/tail.ts --endpoint ${endpoint}   # follow the averages

Clean up:
  npx msfctl -f ${spec} destroy --auto-approve   # final snapshot, delete the application
  npx msfctl -f ${spec} local down               # stop msf-local and its Flink cluster
`);
