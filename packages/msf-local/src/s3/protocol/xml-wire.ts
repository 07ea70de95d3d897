/** S3's XML on the wire: the namespaced response envelope, the fixed owner, and request-body parsing. */
import { XMLParser } from 'fast-xml-parser';
import { assertSafeValue } from '../../api/safe-input.js';
import { el, wrap, XML_DECLARATION } from '../../api/xml.js';
import type { ServiceResponse } from '../../server/service.js';
import type { ChecksumAlgorithm } from '../checksums.js';
import { s3Errors } from '../errors.js';

const S3_NS = ' xmlns="http://s3.amazonaws.com/doc/2006-03-01/"';
export const OWNER_ID = '75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a';
export const OWNER = wrap('Owner', el('ID', OWNER_ID) + el('DisplayName', 'msf-local'));

const parser = new XMLParser({
  parseTagValue: false,
  trimValues: false,
  ignoreDeclaration: true,
  removeNSPrefix: true,
  htmlEntities: true,
  isArray: (tag) => tag === 'Part' || tag === 'Object',
});

export function xmlResponse(
  status: number,
  root: string,
  body: string,
  headers: Record<string, string> = {},
): ServiceResponse {
  return {
    status,
    headers: { 'content-type': 'application/xml', ...headers },
    body: XML_DECLARATION + wrap(root, body, S3_NS),
  };
}

/** A request's XML body as an object; anything unparsable or unsafe (api/safe-input.ts) is MalformedXML. */
export function parseXml(body: Buffer): Record<string, unknown> {
  try {
    const parsed: unknown = parser.parse(body.toString('utf8'));
    assertSafeValue(parsed); // element names are keys here: no __proto__ or constructor, bounded depth
    if (parsed && typeof parsed === 'object') return parsed as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw s3Errors.malformedXml();
}

export function checksumElement(algorithm: ChecksumAlgorithm): string {
  return `Checksum${algorithm}`;
}
