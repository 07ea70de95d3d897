import { promises as fs } from 'node:fs';
import path from 'node:path';

import type { JobState } from '../control-plane/job-runtime.js';

/**
 * A small typed client for the Flink REST API calls msf-local makes (the same ones a standalone session cluster
 * serves). Failures carry Flink's own error text.
 */

/** Flink answered with an error status; `errors` is Flink's `errors[]` (stack traces included). */
export class FlinkRestError extends Error {
  override readonly name = 'FlinkRestError';
  constructor(
    readonly method: string,
    readonly urlPath: string,
    readonly status: number,
    readonly errors: string[],
  ) {
    super(`Flink REST ${method} ${urlPath} answered ${status}: ${errors.join('\n') || '(no error text)'}`);
  }
}

/** The job statuses Flink's REST API reports (the runtime port adds NONE for "no job"). */
export type FlinkJobStatus = Exclude<JobState, 'NONE'>;

export const TERMINAL_JOB_STATES: ReadonlySet<string> = new Set([
  'FAILED',
  'CANCELED',
  'FINISHED',
  'SUSPENDED',
]);

export interface JobVertexDetails {
  id: string;
  name: string;
  parallelism: number;
  maxParallelism?: number;
  /** Aggregate of the subtasks (RUNNING as soon as one runs): see `tasks` for each state's count. */
  status: string;
  /** Subtasks per execution state (CREATED, DEPLOYING, INITIALIZING, RUNNING, FINISHED, FAILED, …). */
  tasks?: Partial<Record<string, number>>;
}

export interface JobDetails {
  jid: string;
  name: string;
  state: FlinkJobStatus;
  'start-time': number;
  duration: number;
  /** Last time the job entered each status (epoch ms; 0 = never). */
  timestamps: Partial<Record<FlinkJobStatus, number>>;
  vertices: JobVertexDetails[];
}

export interface ExceptionHistoryEntry {
  exceptionName: string;
  stacktrace: string;
  timestamp: number;
  /** The failed task, e.g. `counter -> sink (1/2) - execution #0`; absent for a global failure. */
  taskName?: string | null;
  /** Failures of the same incident (with no restarts: the task failure behind the global one). */
  concurrentExceptions?: ExceptionHistoryEntry[];
}

export interface JobExceptions {
  exceptionHistory?: { entries: ExceptionHistoryEntry[]; truncated: boolean };
  /** 1.x only (removed in 2.0). */
  'root-exception'?: string | null;
  timestamp?: number | null;
}

export type AsyncOperationStatus =
  | { state: 'IN_PROGRESS' }
  | { state: 'COMPLETED'; location: string }
  | { state: 'FAILED'; failureCause: string };

export interface JarRunRequest {
  entryClass?: string;
  programArgsList?: string[];
  parallelism?: number;
  savepointPath?: string;
  allowNonRestoredState?: boolean;
  /** 1.x: `restoreMode`; 2.x: `claimMode`. */
  restoreMode?: 'NO_CLAIM' | 'CLAIM' | 'LEGACY';
  claimMode?: 'NO_CLAIM' | 'CLAIM' | 'LEGACY';
}

/** `/jobs/:jobid/checkpoints`: counts, and which checkpoint or savepoint the job was restored from. */
export interface CheckpointingStatistics {
  counts: { restored: number; total: number; in_progress: number; completed: number; failed: number };
  latest?: {
    restored?: { id: number; restore_timestamp: number; is_savepoint: boolean; external_path: string } | null;
    failed?: { id: number; failure_message?: string | null } | null;
  };
}

export interface MetricValue {
  id: string;
  value?: string;
  sum?: number;
}

export class FlinkRestClient {
  constructor(
    readonly baseUrl: string,
    private readonly requestTimeoutMs = 60_000,
  ) {}

  overview(): Promise<{ 'flink-version': string; 'slots-total': number; 'jobs-running': number }> {
    return this.request('GET', '/overview');
  }

  /** Uploads a jar; returns the id Flink gives it (`<uuid>_<file name>`). */
  async uploadJar(jarPath: string): Promise<string> {
    const form = new FormData();
    const bytes = await fs.readFile(jarPath);
    form.append('jarfile', new Blob([bytes], { type: 'application/x-java-archive' }), path.basename(jarPath));
    const answer = await this.request<{ filename: string; status: string }>('POST', '/jars/upload', form);
    return path.basename(answer.filename);
  }

  async deleteJar(jarId: string): Promise<void> {
    await this.request('DELETE', `/jars/${encodeURIComponent(jarId)}`);
  }

  /** Runs an uploaded jar; resolves once Flink has initialised the job (a restore failure rejects here). */
  async runJar(jarId: string, body: JarRunRequest): Promise<string> {
    const answer = await this.request<{ jobid: string }>(
      'POST',
      `/jars/${encodeURIComponent(jarId)}/run`,
      body,
    );
    return answer.jobid;
  }

  job(jobId: string): Promise<JobDetails> {
    return this.request('GET', `/jobs/${jobId}`);
  }

  /** The job's dataflow plan (vertices, their operators and inputs) as Flink's dashboard shows it. */
  async plan(jobId: string): Promise<unknown> {
    return (await this.request<{ plan: unknown }>('GET', `/jobs/${jobId}/plan`)).plan;
  }

  exceptions(jobId: string, maxExceptions = 1): Promise<JobExceptions> {
    return this.request('GET', `/jobs/${jobId}/exceptions?maxExceptions=${maxExceptions}`);
  }

  checkpoints(jobId: string): Promise<CheckpointingStatistics> {
    return this.request('GET', `/jobs/${jobId}/checkpoints`);
  }

  /** Triggers a checkpoint now, whatever the job's interval (Flink ≥ 1.17); returns the trigger id. */
  async triggerCheckpoint(jobId: string): Promise<string> {
    const answer = await this.request<{ 'request-id': string }>('POST', `/jobs/${jobId}/checkpoints`, {});
    return answer['request-id'];
  }

  /** Stop-with-savepoint; returns the trigger id to poll with {@link savepointStatus}. */
  async stopWithSavepoint(jobId: string, targetDirectory: string, drain = false): Promise<string> {
    const answer = await this.request<{ 'request-id': string }>('POST', `/jobs/${jobId}/stop`, {
      targetDirectory,
      drain,
      formatType: 'CANONICAL',
    });
    return answer['request-id'];
  }

  async triggerSavepoint(jobId: string, targetDirectory: string): Promise<string> {
    const answer = await this.request<{ 'request-id': string }>('POST', `/jobs/${jobId}/savepoints`, {
      'target-directory': targetDirectory,
      'cancel-job': false,
      formatType: 'CANONICAL',
    });
    return answer['request-id'];
  }

  async savepointStatus(jobId: string, triggerId: string): Promise<AsyncOperationStatus> {
    const answer = await this.request<{
      status: { id: 'IN_PROGRESS' | 'COMPLETED' };
      operation?: {
        location?: string;
        'failure-cause'?: { class?: string; 'stack-trace'?: string; 'serialized-throwable'?: string };
      };
    }>('GET', `/jobs/${jobId}/savepoints/${triggerId}`);
    if (answer.status.id !== 'COMPLETED') return { state: 'IN_PROGRESS' };
    const cause = answer.operation?.['failure-cause'];
    if (cause || !answer.operation?.location) {
      return {
        state: 'FAILED',
        failureCause: cause?.['stack-trace'] ?? cause?.class ?? 'savepoint failed without a cause',
      };
    }
    return { state: 'COMPLETED', location: answer.operation.location };
  }

  async cancel(jobId: string): Promise<void> {
    await this.request('PATCH', `/jobs/${jobId}?mode=cancel`);
  }

  /** Job-scope metrics (JobManager), e.g. uptime, numRestarts, lastCheckpointDuration. */
  jobMetrics(jobId: string, names: readonly string[]): Promise<MetricValue[]> {
    return this.request('GET', `/jobs/${jobId}/metrics?get=${names.map(encodeURIComponent).join(',')}`);
  }

  /** Task metrics of one vertex, summed over its subtasks. */
  vertexMetricSums(jobId: string, vertexId: string, names: readonly string[]): Promise<MetricValue[]> {
    return this.request(
      'GET',
      `/jobs/${jobId}/vertices/${vertexId}/subtasks/metrics?get=${names.map(encodeURIComponent).join(',')}&agg=sum`,
    );
  }

  private async request<T>(method: string, urlPath: string, body?: unknown): Promise<T> {
    const init: RequestInit = { method, signal: AbortSignal.timeout(this.requestTimeoutMs) };
    if (body instanceof FormData) init.body = body;
    else if (body !== undefined) {
      init.body = JSON.stringify(body);
      init.headers = { 'content-type': 'application/json' };
    }
    let response: Response;
    try {
      response = await fetch(this.baseUrl + urlPath, init);
    } catch (error) {
      throw new Error(
        `Flink REST ${method} ${urlPath} at ${this.baseUrl} failed: ${(error as Error).message}`,
        { cause: error },
      );
    }
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : {};
    } catch {
      parsed = undefined;
    }
    if (!response.ok) {
      const errors = (parsed as { errors?: unknown } | undefined)?.errors;
      throw new FlinkRestError(
        method,
        urlPath,
        response.status,
        Array.isArray(errors) ? errors.map(String) : [text],
      );
    }
    if (parsed === undefined)
      throw new Error(`Flink REST ${method} ${urlPath} answered non-JSON: ${text.slice(0, 200)}`);
    return parsed as T;
  }
}
