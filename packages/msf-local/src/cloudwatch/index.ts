export { CloudWatchService } from './cloudwatch-service.js';
export {
  MetricStore,
  normalizeDimensions,
  type Dimension,
  type Dimensions,
  type MetricDatum,
  type MetricIdentity,
  type MetricStoreOptions,
  type Sample,
} from './metric-store.js';
export { CloudWatchError } from './errors.js';
