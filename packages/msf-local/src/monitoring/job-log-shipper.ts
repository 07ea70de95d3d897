/**
 * Ships each running application's Flink logs to CloudWatch Logs the way MSF does: to the log stream of every
 * CloudWatch logging option of the application's current version, one JSON record per log event in MSF's format
 * (`locationInformation`, `logger`, `message`, `throwableInformation`, `threadName`, `applicationARN`,
 * `applicationVersionId`, `messageSchemaVersion`, `messageType`), at the application's log level. An application
 * without logging options ships nothing.
 *
 * How the events get here: every cluster JVM's log4j configuration has a socket appender to this loopback intake
 * (flink/log-appender.ts), writing one JSON line per event with the raw fields. The destination is decided when a
 * line arrives, so adding or deleting a logging option takes effect on the running job; the log level is the JVM's
 * (a level change is a configuration update, which restarts the job on a JVM with the new level).
 */
import net, { type AddressInfo, type Socket } from 'node:net';
import type { ControlPlane } from '../control-plane/control-plane.js';
import { currentVersion } from '../control-plane/model.js';
import type { AppenderEvent } from '../flink/log-appender.js';

/** Where an application's records go now, or undefined when it has no logging options (or no longer exists). */
export interface LogDestinations {
  applicationArn: string;
  versionId: number;
  logStreamArns: string[];
}

/**
 * Where an event of application `name` goes: the logging options of the application's current version (so adding
 * or deleting one takes effect at once), labelled with `launchedVersion`, the version of the job that logged it
 * (the current version when unknown).
 */
export function logDestinationsOf(
  controlPlane: ControlPlane,
  name: string,
  launchedVersion: number | undefined,
): LogDestinations | undefined {
  const app = controlPlane.listApplications().find((a) => a.name === name);
  if (!app) return undefined;
  return {
    applicationArn: app.arn,
    versionId: launchedVersion ?? app.currentVersionId,
    logStreamArns: currentVersion(app).config.loggingOptions.map((l) => l.logStreamArn),
  };
}

export interface JobLogShipperOptions {
  destinations: (event: AppenderEvent) => LogDestinations | undefined;
  /** Stores a batch (chronological) in a log stream; rejects when the group or stream does not exist. */
  deliver: (group: string, stream: string, events: { timestamp: number; message: string }[]) => Promise<void>;
  flushIntervalMs?: number;
  log?: (message: string) => void;
}

/** An appender line longer than this is dropped rather than buffered without bound. */
const MAX_LINE_CHARS = 2 * 1024 * 1024;
/** A record stays under CloudWatch's 1 MB event limit: longer messages are cut. */
const MAX_MESSAGE_CHARS = 256 * 1024;
const MAX_BATCH_EVENTS = 5_000;
const MAX_BATCH_BYTES = 900 * 1024;

interface Pending {
  group: string;
  stream: string;
  events: { timestamp: number; message: string }[];
}

export class JobLogShipper {
  private server?: net.Server;
  private readonly sockets = new Set<Socket>();
  private readonly pending = new Map<string, Pending>();
  private readonly warned = new Set<string>();
  private timer?: NodeJS.Timeout;
  private flushing: Promise<void> = Promise.resolve();

  constructor(private readonly options: JobLogShipperOptions) {}

  /** Starts the loopback intake; its address goes into every cluster JVM's log4j configuration. */
  async listen(): Promise<{ host: string; port: number }> {
    const server = net.createServer((socket) => this.accept(socket));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    this.timer = setInterval(() => void this.flush(), this.options.flushIntervalMs ?? 1_000);
    this.timer.unref();
    const { address, port } = server.address() as AddressInfo;
    return { host: address, port };
  }

  /** Ships what is buffered (every line received so far), then stops. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    const server = this.server;
    this.server = undefined;
    if (server) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of this.sockets) socket.destroy();
      await closed;
    }
    await this.flush();
  }

  /** Delivers everything buffered so far (for tests and shutdown; the timer does it every second). */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.deliverPending());
    return this.flushing;
  }

  private accept(socket: Socket): void {
    this.sockets.add(socket);
    socket.setEncoding('utf8');
    let partial = '';
    socket.on('data', (chunk: string) => {
      partial += chunk;
      let newline = partial.indexOf('\n');
      while (newline >= 0) {
        this.receive(partial.slice(0, newline));
        partial = partial.slice(newline + 1);
        newline = partial.indexOf('\n');
      }
      if (partial.length > MAX_LINE_CHARS) {
        this.warnOnce('long-line', `dropped a job log line longer than ${MAX_LINE_CHARS} characters`);
        partial = '';
      }
    });
    socket.on('error', () => undefined); // a JVM killed mid-line: what arrived whole has been taken
    socket.on('close', () => this.sockets.delete(socket));
  }

  private receive(line: string): void {
    let event: AppenderEvent;
    try {
      event = JSON.parse(line) as AppenderEvent;
    } catch {
      this.warnOnce('bad-line', `ignored a job log line that is not JSON: ${line.slice(0, 200)}`);
      return;
    }
    if (typeof event?.a !== 'string' || !Number.isFinite(event.t)) return;
    const destinations = this.options.destinations(event);
    if (!destinations || destinations.logStreamArns.length === 0) return;
    const message = msfRecord(event, destinations);
    for (const arn of destinations.logStreamArns) {
      const target = parseLogStreamArn(arn);
      if (!target) {
        this.warnOnce(
          `arn:${arn}`,
          `logging option ${arn} is not a log stream ARN; nothing is shipped to it`,
        );
        continue;
      }
      const key = `${target.group}\n${target.stream}`;
      let pending = this.pending.get(key);
      if (!pending) this.pending.set(key, (pending = { ...target, events: [] }));
      pending.events.push({ timestamp: event.t, message });
    }
  }

  private async deliverPending(): Promise<void> {
    const batches = [...this.pending.values()];
    this.pending.clear();
    for (const { group, stream, events } of batches) {
      events.sort((x, y) => x.timestamp - y.timestamp);
      for (const chunk of chunks(events)) {
        try {
          await this.options.deliver(group, stream, chunk);
          this.warned.delete(`deliver:${group}:${stream}`);
        } catch (error) {
          this.warnOnce(
            `deliver:${group}:${stream}`,
            `job logs for log group ${group}, stream ${stream} were dropped: ${(error as Error).message}`,
          );
        }
      }
    }
  }

  private warnOnce(key: string, message: string): void {
    if (this.warned.has(key)) return;
    this.warned.add(key);
    this.options.log?.(message);
  }
}

/** The record MSF writes for one log event (its keys in MSF's order). */
export function msfRecord(event: AppenderEvent, destinations: LogDestinations): string {
  // log4j's %ex puts a space before the trace; the lines after the first keep their tabs.
  const throwable = event.x
    ? event.x
        .replace(/^ +/, '')
        .split('\n')
        .filter((line) => line.trim() !== '')
    : undefined;
  const message =
    event.m.length > MAX_MESSAGE_CHARS
      ? `${event.m.slice(0, MAX_MESSAGE_CHARS)}... [truncated by msf-local]`
      : event.m;
  return JSON.stringify({
    locationInformation: event.l,
    logger: event.c,
    message,
    ...(throwable ? { throwableInformation: throwable.slice(0, 500) } : {}),
    threadName: event.th,
    applicationARN: destinations.applicationArn,
    applicationVersionId: String(destinations.versionId),
    messageSchemaVersion: '1',
    messageType: event.p,
  });
}

/** `arn:aws:logs:<region>:<account>:log-group:<group>:log-stream:<stream>` → its group and stream. */
export function parseLogStreamArn(arn: string): { group: string; stream: string } | undefined {
  const match = /^arn:[^:]+:logs:[^:]*:[^:]*:log-group:([^:]+):log-stream:([^:*]+)$/.exec(arn);
  return match ? { group: match[1]!, stream: match[2]! } : undefined;
}

/** PutLogEvents-sized batches. */
function* chunks(events: { timestamp: number; message: string }[]): Generator<typeof events> {
  let batch: typeof events = [];
  let bytes = 0;
  for (const event of events) {
    const size = Buffer.byteLength(event.message, 'utf8') + 26;
    if (batch.length > 0 && (batch.length >= MAX_BATCH_EVENTS || bytes + size > MAX_BATCH_BYTES)) {
      yield batch;
      batch = [];
      bytes = 0;
    }
    batch.push(event);
    bytes += size;
  }
  if (batch.length > 0) yield batch;
}
