/**
 * The health series: one point per metrics period with the values the health evaluator reads, whatever the
 * Flink version named them (adapters/aws/cloudwatch-series.ts builds it from CloudWatch).
 */
/** The values of one period. Absent: not published in that period. */
export interface HealthPoint {
  /** Start of the period, epoch ms. */
  at: number;
  /** Restarts of the current job since it was submitted (numRestarts, else fullRestarts): Maximum. */
  restarts?: number;
  /** Time the job has been running without interruption (uptime, else runningTime): Minimum and Maximum. */
  uptimeMin?: number;
  uptimeMax?: number;
  /** Length of the current outage: the largest of downtime, restartingTime and failingTime (Maximum). */
  down?: number;
  failedCheckpoints?: number;
  completedCheckpoints?: number;
  lastCheckpointDuration?: number;
  lastCheckpointSize?: number;
  recordsInPerSecond?: number;
  recordsOutPerSecond?: number;
  /** Time the busiest task spent backpressured, per second (backPressuredTimeMsPerSecond, Maximum). */
  backPressuredMsPerSecond?: number;
  /** How far a Kinesis source reads behind the stream's tip (millisBehindLatest, Maximum): its iterator age. */
  millisBehindLatest?: number;
}

export interface HealthSeries {
  application: string;
  periodSeconds: number;
  /** Ascending by `at`. */
  points: HealthPoint[];
  /** Which metric fed each signal (for evidence): e.g. restarts ← numRestarts. */
  sources: { restarts?: string; uptime?: string; down?: string[] };
}
