import type { Sts } from '../../sts/sts.js';
import type { Service, ServiceRequest } from '../../server/service.js';
import { header } from '../../server/service.js';
import { ModelQueryService } from '../query-service.js';
import * as MODEL from './input-model.js';
import { OPERATIONS } from './operations.js';

/** STS (query protocol, `Action=…&Version=2011-06-15`, signed for `sts`) in front of the session records. */
export function stsService(sts: Sts): Service {
  return new ModelQueryService('sts', MODEL, OPERATIONS, 'STS', (req) => ({
    sts,
    accessKeyId: accessKeyOf(req),
  }));
}

/** The access key id in the SigV4 credential scope (`Credential=<key>/<date>/...`), if the request is signed. */
function accessKeyOf(req: ServiceRequest): string | undefined {
  const auth = header(req, 'authorization');
  const match = auth?.match(/Credential=([^/,\s]+)\//);
  return match?.[1] ?? req.query.get('X-Amz-Credential')?.split('/')[0];
}
