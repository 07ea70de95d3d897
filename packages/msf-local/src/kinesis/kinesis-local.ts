// Long on purpose: one child process's whole life (ports, certificate, start, readiness, stop) in one place.
import { spawn, type ChildProcess } from 'node:child_process';
import { promises as fs, openSync, closeSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { childEnvironment } from 'msf-flink-runtime';
import { writeFileAtomic } from '../store/atomic-file.js';

/**
 * kinesis-local (the npm build of kinesis-mock) as a child process of msf-local: loopback only, on free ports,
 * its streams and records persisted under a directory of msf-local's data dir.
 */

const require = createRequire(import.meta.url);
const KINESIS_LOCAL_MAIN = require.resolve('kinesis-local/main.js');
/** The self-signed certificate it ships: its TLS listener always starts and crashes without one. */
const KINESIS_LOCAL_CERT = path.join(path.dirname(KINESIS_LOCAL_MAIN), 'server.json');
const LOOPBACK_PRELOAD = fileURLToPath(new URL('./loopback-only.mjs', import.meta.url));

export const KINESIS_LOCAL_HOST = '127.0.0.1';
const PERSIST_FILE = 'kinesis-data.json';
const START_ATTEMPTS = 3;

export interface KinesisLocalOptions {
  /** Where streams and records are kept (created if missing); they survive a restart. */
  dataDir: string;
  /** Receives kinesis-local's stdout and stderr (appended). Default `<dataDir>/kinesis-local.log`. */
  logFile?: string;
  /** Region of requests that carry none. Default us-east-1. */
  region?: string;
  /** Account that owns streams unless a request signs with a 12-digit access key id. Default 000000000000. */
  accountId?: string;
  /** How long streams and consumers stay CREATING/UPDATING/DELETING. Default 500 ms (kinesis-mock's default). */
  transitionMs?: number;
  /**
   * How often it writes its data file. kinesis-local writes it only on this timer (never when stopped), so stop()
   * waits for the writes that follow its call: it takes up to two intervals. Default 500 ms.
   */
  persistIntervalMs?: number;
  startTimeoutMs?: number;
  /** Grace period after SIGTERM before SIGKILL. */
  stopTimeoutMs?: number;
  /**
   * Keep streams and records in `<dataDir>/kinesis-data.json` across restarts (default true). A scratch instance
   * (false) writes nothing, and stop() does not wait for data-file writes.
   */
  persist?: boolean;
  /** Streams that exist (ACTIVE) as soon as start() resolves; they are created before it answers any request. */
  initialStreams?: readonly { name: string; region?: string; shardCount?: number }[];
  /** Called if the process ends without stop() having been called. */
  onUnexpectedExit?: (exit: KinesisLocalExit) => void;
  /** Node binary that runs it. Default: the one running msf-local. */
  nodePath?: string;
  /** Where warnings go (a stop that could not wait for the data file). Default: stderr. */
  log?: (line: string) => void;
}

export interface KinesisLocalExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  logFile: string;
  /** Why it could not be spawned at all. */
  error?: string;
}

export interface KinesisLocalEndpoint {
  /** Plain HTTP endpoint, e.g. `http://127.0.0.1:41234`. */
  url: string;
  host: typeof KINESIS_LOCAL_HOST;
  port: number;
  /** Its TLS listener (self-signed certificate); unused by msf-local but bound to loopback as well. */
  tlsPort: number;
  pid: number;
}

export class KinesisLocalStartError extends Error {
  override readonly name = 'KinesisLocalStartError';
}

export class KinesisLocal {
  private child?: ChildProcess;
  private current?: KinesisLocalEndpoint;
  private exited?: Promise<KinesisLocalExit>;
  private stopping = false;
  private readonly logFile: string;
  /** Completed writes of the data file, as the preload reports them. */
  private persists = 0;
  private readonly persistWaiters = new Set<() => void>();

  constructor(private readonly options: KinesisLocalOptions) {
    this.logFile = options.logFile ?? path.join(options.dataDir, 'kinesis-local.log');
  }

  /** The running endpoint; throws when not started. */
  get endpoint(): KinesisLocalEndpoint {
    if (!this.current) throw new Error('kinesis-local is not running');
    return this.current;
  }

  get running(): boolean {
    return this.current !== undefined;
  }

  /** Starts it and resolves once it answers HTTP requests. */
  async start(): Promise<KinesisLocalEndpoint> {
    if (this.current) return this.current;
    await fs.mkdir(this.options.dataDir, { recursive: true });
    await fs.mkdir(path.dirname(this.logFile), { recursive: true });
    await completeInterruptedTransitions(path.join(this.options.dataDir, PERSIST_FILE));
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.startOnce();
      } catch (error) {
        // Free ports are picked before the child binds them; another process may take one in between.
        const portTaken = error instanceof KinesisLocalStartError && /EADDRINUSE/.test(error.message);
        if (!portTaken || attempt >= START_ATTEMPTS) throw error;
      }
    }
  }

  /**
   * Stops the process by its PID once its data file holds every change acknowledged before this call: after two
   * more completed writes (the second began after this call). Then SIGTERM, and SIGKILL after the grace period.
   */
  async stop(): Promise<void> {
    const child = this.child;
    const exited = this.exited;
    if (!child || !exited) return;
    this.stopping = true;
    // Keep msf-local alive (and listening to the channel) until the child is gone.
    child.ref();
    child.channel?.ref();
    try {
      if (child.exitCode === null && child.signalCode === null && this.options.persist !== false) {
        const interval = this.persistInterval();
        const persisted = await this.persistsAfterNow(2, 2 * interval + 10_000, exited);
        if (!persisted && child.exitCode === null && child.signalCode === null) {
          (this.options.log ?? warnOnStderr)(
            `kinesis-local (pid ${child.pid}) did not write its data file within ${2 * interval + 10_000} ms; ` +
              `changes of the last ${interval} ms may be lost`,
          );
        }
      }
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timeout = this.options.stopTimeoutMs ?? 5_000;
      const timer = setTimeout(() => child.kill('SIGKILL'), timeout);
      try {
        await exited;
      } finally {
        clearTimeout(timer);
      }
    } finally {
      this.child = undefined;
      this.current = undefined;
      this.exited = undefined;
      this.stopping = false;
    }
  }

  /**
   * Resolves once everything kinesis-local had acknowledged before this call is in its data file: two more
   * completed writes (the first may have begun before the acknowledgement). Immediately for a scratch instance.
   */
  async durable(): Promise<void> {
    const exited = this.exited;
    if (this.options.persist === false || !exited) return;
    await this.persistsAfterNow(2, 2 * this.persistInterval() + 10_000, exited);
  }

  private persistInterval(): number {
    return this.options.persistIntervalMs ?? 500;
  }

  /** True once `count` more writes completed; false on timeout or if the process exits first. */
  private persistsAfterNow(
    count: number,
    timeoutMs: number,
    exited: Promise<KinesisLocalExit>,
  ): Promise<boolean> {
    const target = this.persists + count;
    return new Promise<boolean>((resolve) => {
      const done = (result: boolean): void => {
        clearTimeout(timer);
        this.persistWaiters.delete(check);
        resolve(result);
      };
      const check = (): void => {
        if (this.persists >= target) done(true);
      };
      const timer = setTimeout(() => done(false), timeoutMs);
      this.persistWaiters.add(check);
      void exited.then(() => done(false));
    });
  }

  private async startOnce(): Promise<KinesisLocalEndpoint> {
    const [port, tlsPort] = await freeLoopbackPorts();
    const logFd = openSync(this.logFile, 'a');
    let child: ChildProcess;
    try {
      child = spawn(
        this.options.nodePath ?? process.execPath,
        ['--import', pathToFileURL(LOOPBACK_PRELOAD).href, KINESIS_LOCAL_MAIN],
        {
          cwd: this.options.dataDir,
          // Only what it needs: an inherited NODE_OPTIONS (tsx, vitest) or AWS_* would change how it runs.
          env: childEnvironment({
            PATH: process.env.PATH ?? '/usr/bin:/bin',
            KINESIS_MOCK_CERT_PATH: KINESIS_LOCAL_CERT,
            KINESIS_MOCK_PLAIN_PORT: String(port),
            KINESIS_MOCK_TLS_PORT: String(tlsPort),
            SHOULD_PERSIST_DATA: String(this.options.persist !== false),
            PERSIST_PATH: path.resolve(this.options.dataDir),
            PERSIST_FILE_NAME: PERSIST_FILE,
            PERSIST_INTERVAL: `${this.persistInterval()}ms`,
            LOAD_DATA_IF_EXISTS: String(this.options.persist !== false),
            ...(this.options.initialStreams?.length
              ? { INITIALIZE_STREAMS: initializeStreams(this.options.initialStreams) }
              : {}),
            AWS_REGION: this.options.region ?? 'us-east-1',
            AWS_ACCOUNT_ID: this.options.accountId ?? '000000000000',
            ...transitionDurations(this.options.transitionMs ?? 500),
            LOG_LEVEL: 'WARN',
          }),
          // The IPC channel lets the preload notice msf-local's death and shut kinesis-local down.
          stdio: ['ignore', logFd, logFd, 'ipc'],
        },
      );
    } finally {
      closeSync(logFd);
    }
    this.child = child;
    this.persists = 0;
    child.on('message', (message: unknown) => {
      if (
        typeof message === 'object' &&
        message !== null &&
        (message as { type?: unknown }).type === 'persisted'
      ) {
        this.persists++;
        for (const waiter of [...this.persistWaiters]) waiter();
      }
    });
    this.exited = new Promise<KinesisLocalExit>((resolve) => {
      const onEnd = (code: number | null, signal: NodeJS.Signals | null, error?: Error): void => {
        const exit: KinesisLocalExit = {
          code,
          signal,
          logFile: this.logFile,
          ...(error ? { error: error.message } : {}),
        };
        if (this.child === child && !this.stopping) {
          this.child = undefined;
          this.current = undefined;
          this.exited = undefined;
          this.options.onUnexpectedExit?.(exit);
        }
        resolve(exit);
      };
      child.once('exit', (code, signal) => onEnd(code, signal));
      // A process that could not be spawned at all emits 'error' and no 'exit'.
      child.once('error', (error) => {
        if (child.pid === undefined) onEnd(null, null, error);
      });
    });
    const exited = this.exited;
    // msf-local must not stay alive (or be kept waiting) because of its child.
    child.unref();
    child.channel?.unref();

    try {
      await waitUntilServing(port, exited, this.options.startTimeoutMs ?? 30_000);
    } catch (error) {
      this.stopping = true;
      child.kill('SIGKILL');
      await exited;
      this.child = undefined;
      this.exited = undefined;
      this.stopping = false;
      throw new KinesisLocalStartError(`${(error as Error).message}\n${await logTail(this.logFile)}`);
    }
    if (child.pid === undefined) throw new KinesisLocalStartError('kinesis-local started without a PID');
    const endpoint: KinesisLocalEndpoint = {
      url: `http://${KINESIS_LOCAL_HOST}:${port}`,
      host: KINESIS_LOCAL_HOST,
      port,
      tlsPort,
      pid: child.pid,
    };
    this.current = endpoint;
    return endpoint;
  }
}

function warnOnStderr(line: string): void {
  process.stderr.write(`[msf-local] ${line}\n`);
}

const STREAM_NAME = /^[a-zA-Z0-9_.-]{1,128}$/;
const REGION = /^[a-z]{2}(-[a-z0-9]+)+$/;

/** kinesis-local's `INITIALIZE_STREAMS`: `name:shards:region,…` (names and regions checked: no separators). */
function initializeStreams(streams: NonNullable<KinesisLocalOptions['initialStreams']>): string {
  return streams
    .map(({ name, region, shardCount = 1 }) => {
      if (!STREAM_NAME.test(name)) throw new Error(`invalid Kinesis stream name ${JSON.stringify(name)}`);
      if (region !== undefined && !REGION.test(region))
        throw new Error(`invalid AWS region ${JSON.stringify(region)}`);
      if (!Number.isInteger(shardCount) || shardCount < 1)
        throw new Error(`invalid shard count ${shardCount} for stream ${name}`);
      return `${name}:${shardCount}${region ? `:${region}` : ''}`;
    })
    .join(',');
}

function transitionDurations(ms: number): Record<string, string> {
  const names = [
    'CREATE_STREAM_DURATION',
    'DELETE_STREAM_DURATION',
    'REGISTER_STREAM_CONSUMER_DURATION',
    'DEREGISTER_STREAM_CONSUMER_DURATION',
    'START_STREAM_ENCRYPTION_DURATION',
    'STOP_STREAM_ENCRYPTION_DURATION',
    'MERGE_SHARDS_DURATION',
    'SPLIT_SHARD_DURATION',
    'UPDATE_SHARD_COUNT_DURATION',
    'UPDATE_STREAM_MODE_DURATION',
  ];
  return Object.fromEntries(names.map((name) => [name, `${ms}ms`]));
}

/** Two ports free on 127.0.0.1 right now (held together so they differ). */
async function freeLoopbackPorts(): Promise<[number, number]> {
  const servers = await Promise.all(
    [0, 1].map(() => {
      const server = net.createServer();
      return new Promise<net.Server>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, KINESIS_LOCAL_HOST, () => resolve(server));
      });
    }),
  );
  const [first, second] = servers.map((server) => (server.address() as net.AddressInfo).port) as [
    number,
    number,
  ];
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return [first, second];
}

/**
 * Resolves once kinesis-local answers on `port` with its own error for an unsigned request (so a stranger that
 * grabbed the port does not count); rejects if the process exits first or the timeout passes.
 */
async function waitUntilServing(
  port: number,
  exited: Promise<KinesisLocalExit>,
  timeoutMs: number,
): Promise<void> {
  let exit: KinesisLocalExit | undefined;
  void exited.then((value) => (exit = value));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exit) {
      const why = exit.error ?? `code ${exit.code}, signal ${exit.signal}`;
      throw new Error(`kinesis-local exited while starting (${why}); log: ${exit.logFile}`);
    }
    if (await answersAsKinesisLocal(port)) return;
    if (Date.now() > deadline)
      throw new Error(`kinesis-local did not answer on 127.0.0.1:${port} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function answersAsKinesisLocal(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.request(
      {
        host: KINESIS_LOCAL_HOST,
        port,
        method: 'POST',
        path: '/',
        agent: false,
        timeout: 2000,
        headers: {
          'content-type': 'application/x-amz-json-1.1',
          'x-amz-target': 'Kinesis_20131202.ListStreams',
        },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve(body.includes('MissingAuthenticationToken')));
        res.on('error', () => resolve(false));
      },
    );
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end('{}');
  });
}

async function logTail(file: string): Promise<string> {
  try {
    const text = await fs.readFile(file, 'utf8');
    return `last lines of ${file}:\n${text.split('\n').slice(-20).join('\n')}`;
  } catch {
    return `(no log at ${file})`;
  }
}

const TRANSITIONAL = new Set(['CREATING', 'UPDATING']);

/**
 * kinesis-local persists streams and consumers mid-transition and, once reloaded, never finishes the transition
 * (a stream created just before a stop stays CREATING forever). Before it loads its file, finish those
 * transitions as AWS would have: CREATING/UPDATING become ACTIVE, DELETING ones are gone.
 * A file of an unknown shape is left untouched.
 */
export async function completeInterruptedTransitions(file: string): Promise<number> {
  let data: unknown;
  try {
    data = JSON.parse(await fs.readFile(file, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw new Error(`kinesis-local data file ${file} is not readable JSON: ${(error as Error).message}`);
  }
  const streams = isRecord(data) && isRecord(data.streams) ? data.streams : undefined;
  if (!streams) return 0;
  let changed = 0;
  for (const [arn, stream] of Object.entries(streams)) {
    if (!isRecord(stream)) continue;
    if (stream.streamStatus === 'DELETING') {
      delete streams[arn];
      changed++;
      continue;
    }
    if (typeof stream.streamStatus === 'string' && TRANSITIONAL.has(stream.streamStatus)) {
      stream.streamStatus = 'ACTIVE';
      changed++;
    }
    const consumers = isRecord(stream.consumers) ? stream.consumers : {};
    for (const [name, consumer] of Object.entries(consumers)) {
      if (!isRecord(consumer)) continue;
      if (consumer.ConsumerStatus === 'DELETING') {
        delete consumers[name];
        changed++;
      } else if (consumer.ConsumerStatus === 'CREATING') {
        consumer.ConsumerStatus = 'ACTIVE';
        changed++;
      }
    }
  }
  if (changed > 0) await writeFileAtomic(file, JSON.stringify(data));
  return changed;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
