/** Reading the dashboard's JSON API (contract.ts), with its errors as ApiError. */
import { API_PREFIX, type ErrorResponse } from '../../src/contract.js';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  let res: Response;
  try {
    res = await fetch(API_PREFIX + path, { signal, headers: { Accept: 'application/json' } });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiError(0, 'unreachable', 'Cannot reach the dashboard server.');
  }
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    throw new ApiError(res.status, 'bad-response', `The server answered ${res.status} without JSON.`);
  }
  if (!res.ok) {
    const e = (body as Partial<ErrorResponse>).error;
    throw new ApiError(e?.status ?? res.status, e?.code ?? 'error', e?.message ?? `HTTP ${res.status}`);
  }
  return body as T;
}

export function applicationPath(name: string): string {
  return `/applications/${encodeURIComponent(name)}`;
}

export function flinkDashboardHref(name: string): string {
  return `${API_PREFIX}${applicationPath(name)}/flink-dashboard`;
}
