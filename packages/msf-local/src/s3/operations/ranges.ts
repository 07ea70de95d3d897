/** Byte windows of an object: Range on GET/HEAD, ?partNumber of a multipart object, x-amz-copy-source-range. */
import { header, type ServiceRequest } from '../../server/service.js';
import type { ObjectMeta } from '../backend/model.js';
import { S3Error, s3Errors } from '../errors.js';
import { parseIntParam } from '../protocol/request-params.js';

export interface ByteWindow {
  start: number;
  /** Inclusive. */
  end: number;
  /** A 206 answer (a range, or a part of a multipart object). */
  partial: boolean;
  headers: Record<string, string>;
}

/** The bytes a GET/HEAD asks for: one part (?partNumber), one Range, or the whole object. */
export function requestedWindow(req: ServiceRequest, meta: ObjectMeta): ByteWindow {
  const size = meta.size;
  let start = 0;
  let end = size - 1;
  let partial = false;
  const headers: Record<string, string> = {};
  const partNumberText = req.query.get('partNumber');
  const rangeHeader = header(req, 'range');
  if (partNumberText !== null) {
    const partNumber = parseIntParam(
      partNumberText,
      'partNumber',
      1,
      1,
      10000,
      'Part number must be an integer between 1 and 10000, inclusive',
    );
    const sizes = meta.partSizes ?? [size];
    if (partNumber > sizes.length)
      throw new S3Error('InvalidPartNumber', 416, 'The requested partnumber is not satisfiable', {
        PartNumberRequested: partNumber,
        ActualPartCount: sizes.length,
      });
    start = sizes.slice(0, partNumber - 1).reduce((a, b) => a + b, 0);
    end = start + sizes[partNumber - 1]! - 1;
    partial = meta.partSizes !== undefined;
    headers['x-amz-mp-parts-count'] = String(sizes.length);
  } else if (rangeHeader !== undefined) {
    const range = parseRange(rangeHeader, size);
    if (range) ({ start, end } = range);
    partial = range !== undefined;
  }
  return { start, end, partial, headers };
}

/**
 * A single `bytes=` range resolved against `size`, or undefined when the header is to be ignored
 * (malformed or multi-range: S3 then returns the whole object). Unsatisfiable → InvalidRange (416).
 */
export function parseRange(value: string, size: number): { start: number; end: number } | undefined {
  const match = /^bytes=(\d*)-(\d*)$/.exec(value.trim());
  if (!match || (match[1] === '' && match[2] === '')) return undefined;
  if (match[1] === '') {
    const suffix = Number(match[2]);
    if (suffix === 0 || size === 0) throw s3Errors.invalidRange(value, size);
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(match[1]);
  const end = match[2] === '' ? size - 1 : Number(match[2]);
  if (end < start) return undefined;
  if (start >= size) throw s3Errors.invalidRange(value, size);
  return { start, end: Math.min(end, size - 1) };
}

/** UploadPartCopy's x-amz-copy-source-range: `bytes=first-last` inside the source, else InvalidArgument. */
export function copySourceRange(
  req: ServiceRequest,
  sourceSize: number,
): { start: number; end: number } | undefined {
  const rangeHeader = header(req, 'x-amz-copy-source-range');
  if (rangeHeader === undefined) return undefined;
  const match = /^bytes=(\d+)-(\d+)$/.exec(rangeHeader.trim());
  if (!match || Number(match[2]) < Number(match[1]) || Number(match[2]) >= sourceSize) {
    throw s3Errors.invalidArgument(
      'The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy',
      'x-amz-copy-source-range',
      rangeHeader,
    );
  }
  return { start: Number(match[1]), end: Number(match[2]) };
}
