/**
 * The narrow port between the MSF control plane and whatever runs the jobs.
 *
 * The control plane owns statuses, versions, operations and snapshots; a JobRuntime only runs one Flink job
 * per application and reports what Flink says. The real implementation (`flink/`) hosts one Flink cluster JVM
 * per running application; unit tests of the control plane may use a test double.
 */

export interface PropertyGroup {
  PropertyGroupId: string;
  PropertyMap: Record<string, string>;
}

export interface CheckpointSettings {
  enabled: boolean;
  intervalMs: number;
  minPauseMs: number;
}

export interface JobLaunch {
  applicationName: string;
  /** The application version the job runs (what its CloudWatch log records carry). */
  applicationVersionId?: number;
  /** MSF runtime environment, e.g. FLINK-1_19, FLINK-1_20, FLINK-2_2. */
  runtimeEnvironment: string;
  /** Local path of the application's JAR (already fetched from S3), named *.jar as Flink's upload requires. */
  jarPath: string;
  parallelism: number;
  parallelismPerKpu: number;
  checkpointing: CheckpointSettings;
  /** Absent: start with empty state. */
  restore?: { snapshotPath: string; allowNonRestoredState: boolean };
  /** What KinesisAnalyticsRuntime.getApplicationProperties() returns inside the job. */
  propertyGroups: PropertyGroup[];
  logLevel: 'INFO' | 'WARN' | 'ERROR' | 'DEBUG';
  /** Directory owned by this application: logs, checkpoints, uploaded jars. */
  workDir: string;
  /** Directory where savepoints (MSF snapshots) of this application are written. */
  snapshotDir: string;
  /**
   * Environment variables and JVM system properties for the job's JVM: how msf-local points the job's AWS
   * clients (e.g. the Kinesis sink) at its local endpoints without any change to user code or configuration.
   */
  environment: Record<string, string>;
  systemProperties: Record<string, string>;
}

/** Flink's job status, or NONE when no job of the application exists. */
export type JobState =
  | 'NONE'
  | 'INITIALIZING'
  | 'CREATED'
  | 'RUNNING'
  | 'FAILING'
  | 'FAILED'
  | 'CANCELLING'
  | 'CANCELED'
  | 'FINISHED'
  | 'RESTARTING'
  | 'SUSPENDED'
  | 'RECONCILING';

export interface JobObservation {
  state: JobState;
  /** True when the job and every one of its tasks is RUNNING (a savepoint can be taken). */
  allTasksRunning: boolean;
  /** Restarts since the job was submitted (Flink's numRestarts). */
  restarts: number;
  /** Epoch ms of the latest restart msf-local observed, if any. */
  lastRestartAt?: number;
  /** The job's most recent exception, as `<class>: <message>` plus stack trace. */
  lastException?: string;
}

/** Metric values as Flink reports them at job level; absent keys were not reported. */
export type JobMetrics = Partial<
  Record<
    | 'uptime'
    | 'downtime'
    | 'numRestarts'
    | 'fullRestarts'
    | 'numberOfFailedCheckpoints'
    | 'numberOfCompletedCheckpoints'
    | 'lastCheckpointDuration'
    | 'lastCheckpointSize'
    | 'numRecordsIn'
    | 'numRecordsOut'
    | 'numRecordsInPerSecond'
    | 'numRecordsOutPerSecond'
    | 'runningTime'
    | 'restartingTime'
    | 'failingTime'
    | 'cancellingTime',
    number
  >
>;

/** The job could not be started; `message` is Flink's own text (`<JavaExceptionClass>: <message> ...`). */
export class JobStartFailure extends Error {
  override readonly name = 'JobStartFailure';
}

/** A savepoint could not be taken; the job is left as it was. */
export class SnapshotFailure extends Error {
  override readonly name = 'SnapshotFailure';
}

export interface JobRuntime {
  /**
   * Starts the application's job (and its cluster, if none runs or the runtime/JVM settings changed).
   * Resolves once Flink reports the job RUNNING; rejects with JobStartFailure carrying Flink's message.
   */
  start(launch: JobLaunch): Promise<void>;
  /** Stop-with-savepoint, no drain. Resolves with the savepoint path; the cluster is released. */
  stopWithSnapshot(applicationName: string): Promise<string>;
  /** Cancels the job with no savepoint and releases its cluster. Never fails for a job already gone. */
  cancel(applicationName: string): Promise<void>;
  /** Takes a savepoint of the running job and leaves it running. Resolves with the savepoint path. */
  snapshot(applicationName: string): Promise<string>;
  observe(applicationName: string): Promise<JobObservation>;
  /**
   * Job-level metrics, or undefined when the application has no running job. While the job of a lost cluster
   * waits for its restart: the outage as Flink reports one (downtime, restarts, uptime 0).
   */
  metrics(applicationName: string): Promise<JobMetrics | undefined>;
  /**
   * The newest completed checkpoint that an earlier run left under `workDir` (checkpoints are retained when a
   * job is cancelled or its cluster dies), for bringing applications back after msf-local itself restarts.
   */
  retainedCheckpoint(workDir: string): Promise<{ path: string; completedAt: number } | undefined>;
  /**
   * The plan of the application's running job as Flink describes it (JSON), for DescribeApplication's
   * JobPlanDescription; undefined when no job runs or its cluster cannot answer (it is extra detail).
   */
  jobPlan(applicationName: string): Promise<string | undefined>;
  /** The live Flink dashboard of the application, when its cluster runs. */
  dashboardUrl(applicationName: string): string | undefined;
  /**
   * Registers `listener`, told at once when the cluster JVM of an application whose job had started exits
   * without msf-local asking (kill -9, crash, out of memory): the job is gone and nobody else will notice.
   */
  onClusterLost(listener: (applicationName: string) => void): void;
  /** Stops every cluster this runtime started. */
  close(): Promise<void>;
}
