import type { Iam } from '../../iam/iam.js';
import type { Service } from '../../server/service.js';
import { ModelQueryService } from '../query-service.js';
import * as MODEL from './input-model.js';
import { OPERATIONS } from './operations.js';

/** IAM (query protocol, `Action=…&Version=2010-05-08`, signed for `iam`) in front of the IAM records. */
export function iamService(iam: Iam): Service {
  return new ModelQueryService('iam', MODEL, OPERATIONS, 'IAM', () => ({ iam }));
}
