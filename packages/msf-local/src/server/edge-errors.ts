/**
 * An error the edge itself answers (a refused browser, a body over its limit) before any service runs, in the
 * protocol the client speaks so that its SDK reports the reason: X-Amz-Target → AWS JSON, Smithy RPC v2 → CBOR,
 * a query `Action` → query XML, anything else (S3's REST-XML) → S3's `<Error>` document.
 */
import { encodeCbor } from '../cloudwatch/protocol/cbor.js';
import { queryParameter } from '../api/query-protocol.js';
import { escapeXml, XML_DECLARATION } from '../api/xml.js';
import type { ServiceRequest, ServiceResponse } from './service.js';
import { header } from './service.js';

export interface EdgeErrorCodes {
  /** The code JSON and CBOR APIs use (`AccessDeniedException`). */
  json: string;
  /** The code query APIs and S3 use (`AccessDenied`). */
  xml: string;
}

export function edgeError(
  req: ServiceRequest,
  status: number,
  codes: EdgeErrorCodes,
  message: string,
): ServiceResponse {
  const target = header(req, 'x-amz-target');
  if (target !== undefined) {
    const contentType = header(req, 'content-type') ?? '';
    return {
      status,
      headers: {
        'content-type': /^application\/x-amz-(json-1\.[01]|cbor-1\.1)$/.test(contentType)
          ? contentType.replace('cbor-1.1', 'json-1.1')
          : 'application/x-amz-json-1.1',
        'x-amzn-errortype': codes.json,
      },
      body: JSON.stringify({ __type: codes.json, message }),
    };
  }
  if (header(req, 'smithy-protocol') === 'rpc-v2-cbor') {
    return {
      status,
      headers: { 'content-type': 'application/cbor', 'smithy-protocol': 'rpc-v2-cbor' },
      body: encodeCbor({ __type: codes.json, message }),
    };
  }
  if (queryParameter(req, 'Action') !== undefined) {
    return {
      status,
      headers: { 'content-type': 'text/xml' },
      body:
        XML_DECLARATION +
        `<ErrorResponse><Error><Type>Sender</Type><Code>${escapeXml(codes.xml)}</Code>` +
        `<Message>${escapeXml(message)}</Message></Error><RequestId>${escapeXml(req.requestId)}</RequestId>` +
        `</ErrorResponse>\n`,
    };
  }
  return {
    status,
    headers: { 'content-type': 'application/xml', 'x-amz-request-id': req.requestId },
    body:
      XML_DECLARATION +
      `<Error><Code>${escapeXml(codes.xml)}</Code><Message>${escapeXml(message)}</Message>` +
      `<RequestId>${escapeXml(req.requestId)}</RequestId></Error>\n`,
  };
}
