/**
 * The job's latest exception, where the target offers one. On msf-local, CreateApplicationPresignedUrl hands
 * out the Flink dashboard's REST root, so `/jobs/<id>/exceptions` answers directly. On AWS the URL opens a
 * console session in a browser (it carries an auth token and needs the cookie it sets), so this source says
 * "unavailable" without calling it; so does any failure, timeout or unexpected answer. It never throws.
 */
import {
  CreateApplicationPresignedUrlCommand,
  type CreateApplicationPresignedUrlCommandOutput,
} from '@aws-sdk/client-kinesis-analytics-v2';
import type { ExceptionLookup, ExceptionSource } from '../../ports/exceptions.js';
import type { LatestException } from '../../model/health.js';

/** What the source needs of a KinesisAnalyticsV2Client. */
export interface PresignedUrlClient {
  send(
    command: CreateApplicationPresignedUrlCommand,
    options?: { abortSignal?: AbortSignal },
  ): Promise<CreateApplicationPresignedUrlCommandOutput>;
}

export interface DashboardSourceOptions {
  /** @default 5000 per request */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/** The exception part of Flink's /jobs/<id>/exceptions answer (1.x has root-exception, 2.x only the history). */
interface FlinkExceptions {
  'root-exception'?: string;
  timestamp?: number;
  exceptionHistory?: {
    entries?: { exceptionName?: string; stacktrace?: string; timestamp?: number; taskName?: string }[];
  };
}

/** Reads Flink's /jobs/<id>/exceptions answer; undefined when it holds no exception. */
export function parseFlinkExceptions(body: unknown): LatestException | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const answer = body as FlinkExceptions;
  const entry = answer.exceptionHistory?.entries?.[0];
  const trace = entry?.stacktrace ?? answer['root-exception'];
  if (!trace) return undefined;
  const lines = trace.split('\n').map((l) => l.trim());
  const summary = lines[0]!;
  const causes = lines.filter((l) => l.startsWith('Caused by: ')).map((l) => l.slice('Caused by: '.length));
  const at = entry?.timestamp ?? answer.timestamp;
  const exceptionClass = entry?.exceptionName ?? /^([\w.$]+)(:|$)/.exec(summary)?.[1];
  const task = entry?.taskName?.replace(/ - execution #\d+$/, '');
  return {
    ...(at !== undefined ? { at } : {}),
    ...(exceptionClass ? { exceptionClass } : {}),
    summary,
    ...(causes.length ? { rootCause: causes.at(-1)! } : {}),
    ...(task ? { task } : {}),
    source: 'flink-dashboard',
  };
}

export class FlinkDashboardExceptionSource implements ExceptionSource {
  private readonly timeoutMs: number;
  private readonly fetch: typeof fetch;

  constructor(
    private readonly msf: PresignedUrlClient,
    options: DashboardSourceOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 5_000;
    this.fetch = options.fetch ?? fetch;
  }

  async latest(application: string): Promise<ExceptionLookup> {
    let base: URL;
    try {
      const abort = AbortSignal.timeout(this.timeoutMs);
      const out = await this.msf.send(
        new CreateApplicationPresignedUrlCommand({
          ApplicationName: application,
          UrlType: 'FLINK_DASHBOARD_URL',
        }),
        { abortSignal: abort },
      );
      if (!out.AuthorizedUrl) return { unavailable: 'the service returned no dashboard URL' };
      base = new URL(out.AuthorizedUrl);
    } catch (error) {
      return { unavailable: `no dashboard URL (${describe(error)})` };
    }
    if (base.search) return { unavailable: 'the Flink dashboard URL needs a browser session on this target' };
    const root = base.href.replace(/\/$/, '');
    try {
      const overview = (await this.getJson(`${root}/jobs/overview`)) as {
        jobs?: { jid?: string; state?: string; 'start-time'?: number }[];
      };
      const jobs = (overview.jobs ?? [])
        .filter((j) => j.jid)
        .sort((a, b) => (b['start-time'] ?? 0) - (a['start-time'] ?? 0));
      const job = jobs[0];
      if (!job) return { unavailable: 'the dashboard lists no job' };
      const found = parseFlinkExceptions(
        await this.getJson(`${root}/jobs/${job.jid}/exceptions?maxExceptions=1`),
      );
      return found
        ? { found }
        : { unavailable: `job ${job.jid} (${job.state ?? 'unknown state'}) has recorded no exception` };
    } catch (error) {
      return { unavailable: `the dashboard did not answer (${describe(error)})` };
    }
  }

  private async getJson(url: string): Promise<unknown> {
    const response = await this.fetch(url, {
      signal: AbortSignal.timeout(this.timeoutMs),
      redirect: 'manual',
      headers: { accept: 'application/json' },
    });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    if (!(response.headers.get('content-type') ?? '').includes('json'))
      throw new Error(`not JSON (${response.headers.get('content-type') ?? 'no content type'})`);
    return response.json();
  }
}

function describe(error: unknown): string {
  const e = error as { name?: string; message?: string };
  return e?.name === 'TimeoutError' || e?.name === 'AbortError'
    ? 'timed out'
    : `${e?.name ?? 'Error'}: ${e?.message ?? String(error)}`;
}
