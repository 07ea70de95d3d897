/**
 * Where msfctl acts: AWS (a region, an endpoint) or msf-local on this machine. What differs between them is
 * here and only here — adapters/targets implements it, and no other code asks which kind a target is.
 */
import type { Plan } from '../model/plan.js';
import type { SnapshotExporter } from './snapshot-export.js';
import type { SnapshotStateSource } from './snapshot-state.js';

export interface Target {
  kind: 'aws' | 'local';
  /** For people: "msf-local at http://127.0.0.1:4577", "AWS, region eu-west-1". */
  readonly description: string;
  /** Recorded in plans (a plan is refused on another endpoint or region). */
  planTarget(): Promise<Plan['target']>;
  /** Seconds per metrics datapoint: 60 on AWS (1-minute data), 1 on msf-local. */
  readonly metricsPeriodSeconds: number;
  /** A missing artifacts bucket is created (a laptop has none yet) rather than refused. */
  readonly createsBuckets: boolean;
  /** What a snapshot holds, where the target can read it (msf-local); none on AWS. */
  readonly snapshotState?: SnapshotStateSource;
  /** Exports snapshots' savepoints to S3: enhanced ones on AWS, both kinds on msf-local. */
  readonly snapshotExporter: SnapshotExporter;
}
