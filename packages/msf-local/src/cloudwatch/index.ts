export { CloudWatchService } from './service.js';
export {
  MetricStore,
  normalizeDimensions,
  type Dimension,
  type Dimensions,
  type MetricDatum,
  type MetricIdentity,
  type MetricStoreOptions,
  type Sample,
} from './backend/metric-store.js';
export { CloudWatchError } from './errors.js';
