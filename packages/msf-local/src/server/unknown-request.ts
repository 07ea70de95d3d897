/**
 * Naming a request (for the request log) and answering one that no service on the edge claims, in the protocol
 * its client speaks, so the client reports the real reason instead of "invalid XML received" or "UnknownError":
 * X-Amz-Target → AWS JSON, Smithy RPC v2 → CBOR, form-encoded `Action=` → query XML, anything else → JSON.
 */
import { encodeCbor } from '../cloudwatch/protocol/cbor.js';
import { queryParameter } from '../api/query-protocol.js';
import { escapeXml, XML_DECLARATION } from '../api/xml.js';
import type { ServiceRequest, ServiceResponse } from './service.js';
import { header, signingService } from './service.js';

const SERVED = 'Kinesis Analytics V2, S3, CloudWatch, CloudWatch Logs, Kinesis, IAM, STS and KMS';

/** The operation a request asks for, as its protocol names it (X-Amz-Target, Action, or the RPC v2 path). */
export function operationOf(req: ServiceRequest): string | undefined {
  return header(req, 'x-amz-target') ?? rpcV2Operation(req) ?? queryParameter(req, 'Action');
}

export function unknownRequest(req: ServiceRequest): ServiceResponse {
  const service = signingService(req);
  const operation = operationOf(req);
  const what = `${operation ?? `${req.method} ${req.rawPath.slice(0, 200)}`}${service ? ` (signed for ${service})` : ''}`;
  const message = `msf-local does not serve ${what}; it serves ${SERVED}.`;
  if (header(req, 'x-amz-target') === undefined && rpcV2Operation(req) !== undefined) {
    return {
      status: 400,
      headers: { 'content-type': 'application/cbor', 'smithy-protocol': 'rpc-v2-cbor' },
      body: encodeCbor({ __type: 'UnknownOperationException', message }),
    };
  }
  if (header(req, 'x-amz-target') === undefined && queryParameter(req, 'Action') !== undefined) {
    return {
      status: 400,
      headers: { 'content-type': 'text/xml' },
      body:
        XML_DECLARATION +
        `<ErrorResponse><Error><Type>Sender</Type><Code>InvalidAction</Code><Message>${escapeXml(message)}</Message>` +
        `</Error><RequestId>${escapeXml(req.requestId)}</RequestId></ErrorResponse>\n`,
    };
  }
  const contentType = header(req, 'content-type') ?? '';
  return {
    status: 400,
    headers: {
      'content-type': /^application\/x-amz-json-1\.[01]$/.test(contentType)
        ? contentType
        : 'application/json',
      'x-amzn-errortype': 'UnknownOperationException',
    },
    body: JSON.stringify({ __type: 'UnknownOperationException', message }),
  };
}

function rpcV2Operation(req: ServiceRequest): string | undefined {
  if (header(req, 'smithy-protocol') !== 'rpc-v2-cbor') return undefined;
  const match = /^\/service\/([^/]+)\/operation\/([^/]+)$/.exec(req.rawPath);
  return match ? `${match[1]}.${match[2]}` : undefined;
}
