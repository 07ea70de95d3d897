import { createHash } from 'node:crypto';
import { header, type ServiceRequest } from '../../server/service.js';
import { decodeAwsChunked, isAwsChunked } from './aws-chunked.js';
import {
  CHECKSUM_ALGORITHMS,
  checksumBase64,
  checksumHeader,
  parseChecksumAlgorithm,
  type ChecksumAlgorithm,
} from '../checksums.js';
import { S3Error, s3Errors } from '../errors.js';

/**
 * The payload of a PutObject / UploadPart request, checked the way S3 checks it: aws-chunked decoded,
 * Content-MD5, a hex x-amz-content-sha256 and any flexible checksum (header or trailer) verified.
 */
export interface VerifiedBody {
  data: Buffer;
  /** The flexible checksum the client sent (verified), or the one computed for `wantAlgorithm`. */
  checksum?: { algorithm: ChecksumAlgorithm; value: string };
  /** Content-Encoding with the transport-only `aws-chunked` removed. */
  contentEncoding?: string;
}

export function readVerifiedBody(req: ServiceRequest, wantAlgorithm?: ChecksumAlgorithm): VerifiedBody {
  const contentSha256 = header(req, 'x-amz-content-sha256');
  const rawEncoding = header(req, 'content-encoding');
  let data = req.body;
  let trailers: Record<string, string> = {};
  if (isAwsChunked({ contentEncoding: rawEncoding, contentSha256 })) {
    const decoded = decodeAwsChunked(req.body);
    data = decoded.payload;
    trailers = decoded.trailers;
    const declared = header(req, 'x-amz-decoded-content-length');
    if (declared !== undefined && Number(declared) !== data.length) {
      throw new S3Error(
        'IncompleteBody',
        400,
        'You did not provide the number of bytes specified by the Content-Length HTTP header',
        { NumberBytesExpected: declared, NumberBytesProvided: data.length },
      );
    }
  }

  const md5Header = header(req, 'content-md5');
  if (md5Header !== undefined) {
    const expected = Buffer.from(md5Header, 'base64');
    if (expected.length !== 16 || expected.toString('base64') !== md5Header.trim()) {
      throw s3Errors.invalidDigest(md5Header);
    }
    const actual = createHash('md5').update(data).digest('base64');
    if (actual !== md5Header.trim()) {
      throw s3Errors.badDigest('The Content-MD5 you specified did not match what we received.', {
        ExpectedDigest: md5Header,
        CalculatedDigest: actual,
      });
    }
  }

  if (contentSha256 && /^[0-9a-f]{64}$/i.test(contentSha256)) {
    const actual = createHash('sha256').update(data).digest('hex');
    if (actual !== contentSha256.toLowerCase()) throw s3Errors.sha256Mismatch(contentSha256, actual);
  }

  let checksum: VerifiedBody['checksum'];
  for (const algorithm of CHECKSUM_ALGORITHMS) {
    const name = checksumHeader(algorithm);
    const value = header(req, name) ?? trailers[name];
    if (value === undefined) continue;
    const actual = checksumBase64(algorithm, [data]);
    if (actual !== value.trim()) {
      throw s3Errors.badDigest(`The ${algorithm} you specified did not match the calculated checksum.`);
    }
    checksum = { algorithm, value: actual };
    break;
  }
  const sdkAlgorithm = parseChecksumAlgorithm(header(req, 'x-amz-sdk-checksum-algorithm'));
  const algorithm = wantAlgorithm ?? sdkAlgorithm;
  if (algorithm && checksum?.algorithm !== algorithm) {
    checksum = { algorithm, value: checksumBase64(algorithm, [data]) };
  }

  const contentEncoding = rawEncoding
    ?.split(',')
    .map((s) => s.trim())
    .filter((s) => s && s.toLowerCase() !== 'aws-chunked')
    .join(',');
  return { data, checksum, contentEncoding: contentEncoding || undefined };
}
