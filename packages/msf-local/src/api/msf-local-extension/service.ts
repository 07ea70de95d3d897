/**
 * msf-local's own public extension API (not an AWS operation), beside Kinesis Analytics V2 on the same port,
 * in the same protocol (AWS JSON 1.1, AWS error shapes):
 *
 *   X-Amz-Target: MsfLocal_20261201.ExportApplicationSnapshot
 *   {ApplicationName, SnapshotName, DestinationS3PrefixLocation: {BucketARN, KeyPrefix}} → {ExportedPrefix}
 *
 * It exports an application snapshot's (legacy) savepoint to msf-local's S3 exactly as ExportSnapshot exports
 * an enhanced snapshot (same code, same layout), and answers when the export is complete; tools such as msfctl
 * use it to get a legacy snapshot's state without reading msf-local's files.
 */
import type { ControlPlane } from '../../control-plane/control-plane.js';
import { ServiceError } from '../../control-plane/errors.js';
import type { Service, ServiceRequest, ServiceResponse } from '../../server/service.js';
import { header, signingRegion } from '../../server/service.js';
import { jsonError, jsonResponse, operationOf, parseJsonBody } from '../aws-json.js';
import { str, struct, validate } from '../shape.js';
import type { Shape } from '../shape.js';

export const EXTENSION_TARGET_PREFIX = 'MsfLocal_20261201';
const CONTENT_TYPE = 'application/x-amz-json-1.1';
const NAME = '[a-zA-Z0-9_.-]+';

const ExportApplicationSnapshotRequest: Shape = struct(
  {
    ApplicationName: str({ min: 1, max: 128, pattern: NAME }),
    SnapshotName: str({ min: 1, max: 256, pattern: NAME }),
    DestinationS3PrefixLocation: struct(
      { BucketARN: str({ min: 1, max: 2048, pattern: 'arn:.*' }), KeyPrefix: str({ min: 1, max: 200 }) },
      ['BucketARN', 'KeyPrefix'],
    ),
  },
  ['ApplicationName', 'SnapshotName', 'DestinationS3PrefixLocation'],
);

export class MsfLocalExtensionService implements Service {
  readonly name = 'msf-local-extension';

  constructor(
    private readonly controlPlane: ControlPlane,
    private readonly defaultRegion: string,
  ) {}

  accepts(req: ServiceRequest): boolean {
    return header(req, 'x-amz-target')?.startsWith(`${EXTENSION_TARGET_PREFIX}.`) ?? false;
  }

  async handle(req: ServiceRequest): Promise<ServiceResponse> {
    try {
      const operation = operationOf(req, EXTENSION_TARGET_PREFIX);
      if (operation !== 'ExportApplicationSnapshot') {
        throw new ServiceError(
          'UnknownOperationException',
          `Unknown operation ${EXTENSION_TARGET_PREFIX}.${operation ?? ''}`,
        );
      }
      const body = parseJsonBody(req);
      validate(ExportApplicationSnapshotRequest, body);
      const location = body.DestinationS3PrefixLocation as { BucketARN: string; KeyPrefix: string };
      const exportedPrefix = await this.controlPlane.enhancedSnapshots.exportApplicationSnapshot(
        body.ApplicationName as string,
        body.SnapshotName as string,
        { bucketArn: location.BucketARN, keyPrefix: location.KeyPrefix },
        signingRegion(req) ?? this.defaultRegion,
      );
      return jsonResponse({ ExportedPrefix: exportedPrefix }, CONTENT_TYPE);
    } catch (error) {
      return jsonError(error, CONTENT_TYPE);
    }
  }
}
