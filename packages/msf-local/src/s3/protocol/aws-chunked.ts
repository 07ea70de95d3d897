import { S3Error } from '../errors.js';

/**
 * Decodes an `aws-chunked` request body (what the SDKs send with x-amz-content-sha256 STREAMING-…):
 *
 *   <hex-size>[;chunk-signature=<sig>]\r\n<bytes>\r\n … 0[;chunk-signature=<sig>]\r\n
 *   [<trailer-name>:<value>\r\n …]\r\n
 *
 * Chunk and trailer signatures are not verified (msf-local does not verify SigV4 at all); the payload and
 * trailing checksum headers are returned.
 */
export interface DecodedChunkedBody {
  payload: Buffer;
  /** Trailing headers, lower-cased names (e.g. x-amz-checksum-crc32). */
  trailers: Record<string, string>;
}

export function isAwsChunked(headers: { contentEncoding?: string; contentSha256?: string }): boolean {
  if (headers.contentSha256?.startsWith('STREAMING-')) return true;
  return (headers.contentEncoding ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .includes('aws-chunked');
}

export function decodeAwsChunked(body: Buffer): DecodedChunkedBody {
  const parts: Buffer[] = [];
  let offset = 0;
  for (;;) {
    const lineEnd = body.indexOf('\r\n', offset);
    if (lineEnd < 0) throw malformed('chunk header without CRLF');
    const header = body.subarray(offset, lineEnd).toString('latin1');
    const sizeText = header.split(';', 1)[0]!.trim();
    if (!/^[0-9a-fA-F]+$/.test(sizeText)) throw malformed(`bad chunk size ${JSON.stringify(sizeText)}`);
    const size = parseInt(sizeText, 16);
    offset = lineEnd + 2;
    if (size === 0) break;
    if (offset + size + 2 > body.length) throw malformed('chunk longer than the body');
    parts.push(body.subarray(offset, offset + size));
    offset += size;
    if (body[offset] !== 0x0d || body[offset + 1] !== 0x0a)
      throw malformed('chunk data not followed by CRLF');
    offset += 2;
  }
  const trailers: Record<string, string> = {};
  // Trailer section: header lines until an empty line (or the end of the body).
  while (offset < body.length) {
    const lineEnd = body.indexOf('\r\n', offset);
    const line = body.subarray(offset, lineEnd < 0 ? body.length : lineEnd).toString('latin1');
    offset = lineEnd < 0 ? body.length : lineEnd + 2;
    if (line === '') break;
    const colon = line.indexOf(':');
    if (colon <= 0) throw malformed(`bad trailer line ${JSON.stringify(line)}`);
    trailers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { payload: Buffer.concat(parts), trailers };
}

function malformed(why: string): S3Error {
  return new S3Error('IncompleteBody', 400, `The request body is not valid aws-chunked encoding: ${why}`);
}
