/**
 * Post-deploy health: the fetcher (CloudWatch, tolerant of flaky reads), the pure evaluator, the result value,
 * the bake watch and the on-demand check of `msfctl health`. FKO's observer / evaluator / result split.
 */
export {
  MSF_NAMESPACE,
  HEALTH_QUERIES,
  seriesFromMetricData,
  type HealthPoint,
  type HealthSeries,
} from './health-series.js';
export {
  CloudWatchHealthFetcher,
  periodFor,
  type CloudWatchFetcherOptions,
  type CloudWatchLike,
  type HealthFetcher,
  type HealthObservation,
} from './cloudwatch-fetcher.js';
export {
  evaluateHealth,
  DEFAULT_HEALTH_RULES,
  type HealthBaseline,
  type HealthRules,
  type Clockish,
} from './health-evaluator.js';
export {
  HealthResult,
  healthy,
  unhealthy,
  unknown,
  join,
  withEvidence,
  type HealthStatus,
  type HealthEvidence,
  type EvidenceSignal,
  type HealthFacts,
} from './health-result.js';
export {
  FlinkDashboardExceptionSource,
  NO_EXCEPTIONS,
  parseFlinkExceptions,
  type ExceptionSource,
  type ExceptionLookup,
  type LatestException,
  type PresignedUrlClient,
} from './exception-source.js';
export {
  bakeWatch,
  DEFAULT_BAKE_SECONDS,
  type BakeOptions,
  type BakeOutcome,
  type BakeProgress,
} from './bake-watch.js';
export {
  checkHealth,
  watchHealth,
  DEFAULT_HEALTH_WINDOW_SECONDS,
  ON_DEMAND_RULES,
  type HealthCheck,
  type HealthCheckOptions,
} from './health-check.js';
export { bakeMessages, healthCheckMessages, bakeProgressText } from './health-messages.js';
