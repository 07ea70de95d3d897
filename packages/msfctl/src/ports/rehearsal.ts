/**
 * The deploy rehearsal: restore a new job from a savepoint on a private local real Flink of the target's
 * runtime, in a sandbox whose AWS clients reach a local endpoint only, and say whether it holds (every task
 * running, a checkpoint, no restart within the window). adapters/rehearsal implements it over msf-local's
 * public `rehearse()`; the same for AWS and msf-local targets (only where the savepoint comes from differs).
 */
import type { PropertyGroup } from './jar-inspector.js';

export interface RehearsalRequest {
  runtime: string;
  jarPath: string;
  /** A local savepoint directory, or a promise of one (the sandbox boots while it is fetched). */
  savepoint: string | Promise<string>;
  properties: PropertyGroup[];
  parallelism: number;
  parallelismPerKpu: number;
  allowNonRestoredState: boolean;
  windowSeconds: number;
  /** AWS_REGION of the job in the sandbox. */
  region?: string;
  signal?: AbortSignal;
  onProgress?: (message: string) => void;
}

export interface RehearsalOperatorRef {
  operatorId?: string;
  vertexId?: string;
  vertexName?: string;
  taskName?: string;
  operatorClass?: string;
}

export interface RehearsalOutcome {
  passed: boolean;
  flinkVersion: string;
  savepoint: { path: string; sizeBytes: number; files: number };
  restoredFrom?: string;
  checkpointsCompleted: number;
  restarts: number;
  durationMs: number;
  timings: Record<string, number | undefined>;
  blockedConnections: string[];
  failure?: {
    kind: string;
    message: string;
    phase: string;
    rootCause?: string;
    operator?: RehearsalOperatorRef;
  };
}

export interface Rehearser {
  /** Whether it can run this runtime's Flink. */
  rehearsable(runtime: string): boolean;
  /** A verdict; rejects (an MsfctlError) when it cannot give one (no savepoint, a sandbox that does not start). */
  rehearse(request: RehearsalRequest): Promise<RehearsalOutcome>;
}
