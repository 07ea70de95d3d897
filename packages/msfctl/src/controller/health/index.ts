/**
 * Post-deploy health: the fetcher (CloudWatch, tolerant of flaky reads), the pure evaluator, the result value,
 * the bake watch and the on-demand check of `msfctl health`. FKO's observer / evaluator / result split.
 */
export { MSF_NAMESPACE, HEALTH_QUERIES, seriesFromMetricData } from '../../adapters/aws/cloudwatch-series.js';
export { type HealthPoint, type HealthSeries } from '../../model/health-series.js';
export {
  CloudWatchHealthFetcher,
  periodFor,
  type CloudWatchFetcherOptions,
  type CloudWatchLike,
} from '../../adapters/aws/cloudwatch-fetcher.js';
export { type HealthFetcher, type HealthObservation } from '../../ports/metrics.js';
export {
  evaluateHealth,
  DEFAULT_HEALTH_RULES,
  type HealthBaseline,
  type HealthRules,
  type Clockish,
} from '../../engine/health/evaluator.js';
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
} from '../../model/health.js';
export {
  FlinkDashboardExceptionSource,
  parseFlinkExceptions,
  type PresignedUrlClient,
} from '../../adapters/aws/exception-source.js';
export {
  NO_EXCEPTIONS,
  type ExceptionSource,
  type ExceptionLookup,
  type LatestException,
} from '../../ports/exceptions.js';
export { bakeWatch, type BakeOptions, type BakeOutcome, type BakeProgress } from './bake-watch.js';
export { DEFAULT_BAKE_SECONDS } from '../../model/deploy-settings.js';
export {
  checkHealth,
  watchHealth,
  DEFAULT_HEALTH_WINDOW_SECONDS,
  ON_DEMAND_RULES,
  type HealthCheck,
  type HealthCheckOptions,
} from './health-check.js';
export { bakeMessages, healthCheckMessages, bakeProgressText } from '../../engine/health/messages.js';
