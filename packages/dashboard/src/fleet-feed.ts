/**
 * The fleet, read once for everyone: one source call at a time (concurrent requests share it), a short-lived
 * copy for page loads, and the live feed: while at least one page listens on /api/v1/events, the fleet is
 * re-read every `refreshMs` (and at once when the source signals a change) and sent as a `fleet` event when
 * it differs from the last one sent.
 */
import type { ServerResponse } from 'node:http';
import { API_VERSION, type ErrorResponse, type FleetResponse } from './contract.js';
import type { DashboardSource } from './source.js';

export interface FleetFeedOptions {
  refreshMs: number;
  timeoutMs: number;
  /** How long a fleet read answers page loads (ms). */
  reuseMs?: number;
  now?: () => Date;
}

const HEARTBEAT_MS = 15_000;
/** Open pages at once (each holds a connection); a local dashboard has a handful. */
export const MAX_LISTENERS = 64;

export class FleetFeed {
  private readonly listeners = new Set<ServerResponse>();
  private inFlight: Promise<FleetResponse> | undefined;
  private last: { at: number; response: FleetResponse } | undefined;
  private lastSent: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private readonly unsubscribe: (() => void) | undefined;
  private closed = false;

  constructor(
    private readonly source: DashboardSource,
    private readonly options: FleetFeedOptions,
  ) {
    this.unsubscribe = source.subscribe?.(() => void this.refresh());
  }

  /** The fleet, read now unless a read finished less than `reuseMs` ago or is under way. */
  async fleet(): Promise<FleetResponse> {
    const reuse = this.options.reuseMs ?? 1000;
    if (this.last && Date.now() - this.last.at < reuse) return this.last.response;
    return this.read();
  }

  private read(): Promise<FleetResponse> {
    this.inFlight ??= (async () => {
      try {
        const applications = await this.source.fleet(AbortSignal.timeout(this.options.timeoutMs));
        const response: FleetResponse = {
          apiVersion: API_VERSION,
          generatedAt: (this.options.now?.() ?? new Date()).toISOString(),
          ...(this.source.target ? { target: this.source.target } : {}),
          applications,
        };
        this.last = { at: Date.now(), response };
        return response;
      } catch (error) {
        // A page opened now must learn of the failure, not get the last good copy as if it were current.
        this.last = undefined;
        throw error;
      } finally {
        this.inFlight = undefined;
      }
    })();
    return this.inFlight;
  }

  /** Starts an event stream on `res` and sends the current fleet at once; false when too many listen already. */
  listen(res: ServerResponse, head = false): boolean {
    if (this.listeners.size >= MAX_LISTENERS) return false;
    res.statusCode = 200;
    res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Accel-Buffering', 'no');
    if (head) {
      res.end();
      return true;
    }
    res.flushHeaders();
    res.write(`retry: 3000\n\n`);
    this.listeners.add(res);
    res.on('close', () => {
      this.listeners.delete(res);
      if (this.listeners.size === 0) this.stopTimers();
    });
    this.startTimers();
    void this.fleet().then(
      (fleet) => {
        this.lastSent ??= fleetKey(fleet);
        this.send(res, 'fleet', fleet);
      },
      (error: unknown) => this.send(res, 'source-error', sourceError(error)),
    );
    return true;
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  /** Reads the fleet and sends it to every listener if it changed. */
  async refresh(): Promise<void> {
    if (this.closed || this.listeners.size === 0) return;
    let fleet: FleetResponse;
    try {
      fleet = await this.read();
    } catch (error) {
      const failure = sourceError(error);
      // The same failure again is no news either.
      const key = `error:${failure.error.message}`;
      if (key === this.lastSent) return;
      this.lastSent = key;
      this.broadcast('source-error', failure);
      return;
    }
    const key = fleetKey(fleet);
    if (key === this.lastSent) return;
    this.lastSent = key;
    this.broadcast('fleet', fleet);
  }

  close(): void {
    this.closed = true;
    this.stopTimers();
    this.unsubscribe?.();
    for (const res of this.listeners) res.end();
    this.listeners.clear();
  }

  private startTimers(): void {
    if (this.closed) return;
    this.timer ??= setInterval(() => void this.refresh(), this.options.refreshMs);
    this.heartbeat ??= setInterval(() => {
      for (const res of this.listeners) res.write(': heartbeat\n\n');
    }, HEARTBEAT_MS);
  }

  private stopTimers(): void {
    clearInterval(this.timer);
    clearInterval(this.heartbeat);
    this.timer = undefined;
    this.heartbeat = undefined;
  }

  private broadcast(event: string, data: unknown): void {
    for (const res of this.listeners) this.send(res, event, data);
  }

  private send(res: ServerResponse, event: string, data: unknown): void {
    if (res.writableEnded) return;
    res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }
}

/** generatedAt changes on every read; only a change in the applications is news. */
function fleetKey(fleet: FleetResponse): string {
  return JSON.stringify([fleet.target, fleet.applications]);
}

export function sourceError(error: unknown): ErrorResponse {
  const timeout = error instanceof DOMException && error.name === 'TimeoutError';
  return {
    apiVersion: API_VERSION,
    error: timeout
      ? { status: 504, code: 'source-timeout', message: 'Reading the applications took too long.' }
      : {
          status: 502,
          code: 'source-failed',
          message: `Could not read the applications: ${error instanceof Error ? error.message : String(error)}`,
        },
  };
}
