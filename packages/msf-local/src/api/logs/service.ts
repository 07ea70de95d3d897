import type { CloudWatchLogs } from '../../logs/cloudwatch-logs.js';
import type { Service } from '../../server/service.js';
import { signingRegion } from '../../server/service.js';
import { ModelJsonService } from '../json-service.js';
import * as MODEL from './input-model.js';
import { OPERATIONS } from './operations.js';

/** CloudWatch Logs (AWS JSON 1.1, `X-Amz-Target: Logs_20140328.<Operation>`) in front of the logs backend. */
export function logsService(logs: CloudWatchLogs, defaultRegion: string): Service {
  return new ModelJsonService('logs', MODEL, OPERATIONS, 'CloudWatch Logs', (req) => ({
    logs,
    region: signingRegion(req) ?? defaultRegion,
  }));
}
