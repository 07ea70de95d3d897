/**
 * Kinesis's own request limits, checked before a request reaches kinesis-local (which parses a 10 MB record for
 * seconds and accepts it): a record's data plus partition key at most 1 MiB, a PutRecords call at most 500 records
 * and 5 MiB in all. JSON bodies (JS SDK, AWS CLI) are checked per record; CBOR bodies (Java SDK) by their size.
 * The refusals are the ones Kinesis gives, in its error shape; so is an operation Kinesis does not have.
 */
import { parseJsonSafely, UnsafeInputError } from '../api/safe-input.js';
import { decodeCbor } from '../cloudwatch/protocol/cbor.js';
import type { ServiceRequest } from '../server/service.js';
import { header } from '../server/service.js';

/** The Kinesis Data Streams API (2013-12-02), as the SDK's model lists it: nothing else is forwarded. */
export const KINESIS_OPERATIONS: ReadonlySet<string> = new Set(
  (
    'AddTagsToStream CreateChannel CreateStream DecreaseStreamRetentionPeriod DeleteChannel DeleteResourcePolicy ' +
    'DeleteStream DeregisterStreamConsumer DescribeAccountSettings DescribeChannel DescribeLimits DescribeStream ' +
    'DescribeStreamConsumer DescribeStreamSummary DisableEnhancedMonitoring EnableEnhancedMonitoring GetRecords ' +
    'GetResourcePolicy GetShardIterator IncreaseStreamRetentionPeriod ListChannels ListShards ListStreamConsumers ' +
    'ListStreams ListTagsForResource ListTagsForStream MergeShards PutRecord PutRecords PutResourcePolicy ' +
    'RegisterStreamConsumer RemoveTagsFromStream SplitShard StartStreamEncryption StopStreamEncryption ' +
    'SubscribeToShard TagResource UntagResource UpdateAccountSettings UpdateChannel UpdateMaxRecordSize ' +
    'UpdateShardCount UpdateStreamMode UpdateStreamRecordDistributionStrategy UpdateStreamWarmThroughput'
  ).split(' '),
);

export const MAX_RECORD_BYTES = 1024 * 1024;
export const MAX_PUT_RECORDS_BYTES = 5 * 1024 * 1024;
export const MAX_PUT_RECORDS_COUNT = 500;
/** 5 MiB of records as base64 in JSON, with 500 partition and hash keys: no valid request is larger. */
export const MAX_BODY_BYTES = Math.ceil((MAX_PUT_RECORDS_BYTES * 4) / 3) + 1024 * 1024;

export interface KinesisRefusal {
  status: number;
  type: string;
  message: string;
}

/** Why Kinesis would refuse this request for its operation or size, or undefined when it is within every limit. */
export function requestRefusal(req: ServiceRequest, operation: string): KinesisRefusal | undefined {
  if (!KINESIS_OPERATIONS.has(operation)) {
    return {
      status: 400,
      type: 'UnknownOperationException',
      message: `Kinesis has no operation ${operation.slice(0, 100)}.`,
    };
  }
  if (req.body.length > MAX_BODY_BYTES) {
    return {
      status: 413,
      type: 'InvalidArgumentException',
      message: `The request body is ${req.body.length} bytes; Kinesis accepts at most ${MAX_BODY_BYTES}.`,
    };
  }
  // kinesis-local resets the connection on a `__proto__` key: refused here, as every other service refuses it.
  const json = /json/.test(header(req, 'content-type') ?? '');
  let input: unknown;
  try {
    if (json) input = parseJsonSafely(req.body.toString('utf8') || '{}');
    else if (/cbor/.test(header(req, 'content-type') ?? '') && req.body.length > 0) decodeCbor(req.body);
  } catch (error) {
    if (error instanceof UnsafeInputError) {
      return { status: 400, type: 'SerializationException', message: error.message };
    }
    return undefined; // kinesis-local answers malformed bodies itself
  }
  if (operation !== 'PutRecord' && operation !== 'PutRecords') return undefined;
  if (typeof input !== 'object' || input === null) return undefined; // CBOR: the body cap above
  if (operation === 'PutRecord') {
    const size = recordBytes(input as Record<string, unknown>);
    return size > MAX_RECORD_BYTES ? recordTooLarge('data', size) : undefined;
  }
  const records = (input as { Records?: unknown }).Records;
  if (!Array.isArray(records)) return undefined;
  if (records.length > MAX_PUT_RECORDS_COUNT) {
    return validation(
      `Value at 'records' failed to satisfy constraint: Member must have length less than or equal to ${MAX_PUT_RECORDS_COUNT}`,
    );
  }
  let total = 0;
  for (const [i, record] of records.entries()) {
    if (typeof record !== 'object' || record === null) continue;
    const size = recordBytes(record as Record<string, unknown>);
    if (size > MAX_RECORD_BYTES) return recordTooLarge(`records.${i + 1}.member.data`, size);
    total += size;
  }
  if (total > MAX_PUT_RECORDS_BYTES) {
    return {
      status: 400,
      type: 'InvalidArgumentException',
      message: `Records size exceeds 5 MB limit: the records are ${total} bytes (at most ${MAX_PUT_RECORDS_BYTES}).`,
    };
  }
  return undefined;
}

/** Decoded data bytes plus partition key bytes, as Kinesis counts a record. */
function recordBytes(record: Record<string, unknown>): number {
  const data = typeof record.Data === 'string' ? record.Data : '';
  const padding = data.endsWith('==') ? 2 : data.endsWith('=') ? 1 : 0;
  const key = typeof record.PartitionKey === 'string' ? Buffer.byteLength(record.PartitionKey) : 0;
  return Math.floor((data.length * 3) / 4) - padding + key;
}

function recordTooLarge(path: string, size: number): KinesisRefusal {
  return validation(
    `Value at '${path}' failed to satisfy constraint: Member must have length less than or equal to ${MAX_RECORD_BYTES} (the record is ${size} bytes with its partition key)`,
  );
}

function validation(detail: string): KinesisRefusal {
  return { status: 400, type: 'ValidationException', message: `1 validation error detected: ${detail}` };
}
