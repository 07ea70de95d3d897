import type { Kms } from '../../kms/kms.js';
import type { Service } from '../../server/service.js';
import { signingRegion } from '../../server/service.js';
import { ModelJsonService } from '../json-service.js';
import * as MODEL from './input-model.js';
import { OPERATIONS } from './operations.js';

/** KMS (AWS JSON 1.1, `X-Amz-Target: TrentService.<Operation>`) in front of the key records. */
export function kmsService(kms: Kms, defaultRegion: string): Service {
  return new ModelJsonService('kms', MODEL, OPERATIONS, 'KMS', (req) => ({
    kms,
    region: signingRegion(req) ?? defaultRegion,
  }));
}
