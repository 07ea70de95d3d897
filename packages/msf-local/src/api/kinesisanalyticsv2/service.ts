import type { ControlPlane } from '../../control-plane/control-plane.js';
import { ServiceError } from '../../control-plane/errors.js';
import type { Service, ServiceRequest, ServiceResponse } from '../../server/service.js';
import { header, signingRegion } from '../../server/service.js';
import { jsonError, jsonResponse, operationOf, parseJsonBody } from '../aws-json.js';
import { ownEntry } from '../safe-input.js';
import { validate } from '../shape.js';
import { INPUTS } from './input-model.js';
import { OPERATIONS } from './operations.js';

const TARGET_PREFIX = 'KinesisAnalytics_20180523';
const CONTENT_TYPE = 'application/x-amz-json-1.1';

/** The Kinesis Analytics V2 API (AWS JSON 1.1) in front of the control plane. */
export class KinesisAnalyticsV2Service implements Service {
  readonly name = 'kinesisanalyticsv2';

  constructor(
    private readonly controlPlane: ControlPlane,
    private readonly defaultRegion: string,
  ) {}

  accepts(req: ServiceRequest): boolean {
    return header(req, 'x-amz-target')?.startsWith(`${TARGET_PREFIX}.`) ?? false;
  }

  async handle(req: ServiceRequest): Promise<ServiceResponse> {
    try {
      const operation = operationOf(req, TARGET_PREFIX) ?? '';
      const handler = ownEntry(OPERATIONS, operation);
      const input = ownEntry(INPUTS, operation);
      if (!handler || !input) {
        throw new ServiceError(
          'UnknownOperationException',
          `Unknown operation ${TARGET_PREFIX}.${operation}`,
        );
      }
      const body = parseJsonBody(req);
      validate(input, body);
      const result = await handler(this.controlPlane, body, {
        region: signingRegion(req) ?? this.defaultRegion,
      });
      return jsonResponse(result, CONTENT_TYPE);
    } catch (error) {
      return jsonError(error, CONTENT_TYPE);
    }
  }
}
