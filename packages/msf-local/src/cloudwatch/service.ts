import { gunzipSync } from 'node:zlib';
import {
  header,
  signingService,
  type Service,
  type ServiceRequest,
  type ServiceResponse,
} from '../server/service.js';
import { parseJsonSafely, UnsafeInputError } from '../api/safe-input.js';
import { XML_DECLARATION } from '../api/xml.js';
import { CloudWatchError, cwErrors } from './errors.js';
import type { MetricStore } from './backend/metric-store.js';
import { isOperation, runOperation, type OperationName } from './operations/index.js';
import type { Input, Output } from './operations/types.js';
import { CborError, decodeCbor } from './protocol/cbor.js';
import { readInput } from './protocol/input.js';
import {
  CBOR_HEADERS,
  cborError,
  cborOperation,
  cborResponse,
  jsonError,
  jsonResponse,
  JSON_TARGET_PREFIX,
  parseQueryParams,
  queryError,
  queryResponse,
} from './protocol/wire.js';

/**
 * CloudWatch (metrics) on the shared edge port. Layout, as the MSF service's: service.ts (this: protocol
 * dispatch and errors) → protocol/ (wire formats, the generated input model and its validation) → operations/
 * (one module per operation) → backend/ (metric store, statistics, metric math).
 * The protocols its clients send, in both protocols its clients send. Captured here:
 * - @aws-sdk/client-cloudwatch 3.116x and pip botocore 1.43: AWS JSON 1.0, `X-Amz-Target:
 *   GraniteServiceVersion20100801.<Op>`, `x-amzn-query-mode: true`; errors need `x-amzn-query-error`.
 * - Debian AWS CLI 2.9.19 and Debian boto3 1.26: query protocol, form-encoded `Action=<Op>&Version=2010-08-01`,
 *   XML responses.
 * - Smithy RPC v2 CBOR, first in the model's `protocols` (botocore 1.44 still prefers JSON; its CBOR client was
 *   captured by forcing it): `POST /service/GraniteServiceVersion20100801/operation/<Op>`, `smithy-protocol:
 *   rpc-v2-cbor`, `application/cbor` both ways, errors with `__type` and `x-amzn-query-error`.
 * All sign with SigV4 service `monitoring`.
 */
export class CloudWatchService implements Service {
  readonly name = 'cloudwatch';
  private readonly now: () => number;

  constructor(
    private readonly store: MetricStore,
    options: { now?: () => number } = {},
  ) {
    this.now = options.now ?? Date.now;
  }

  accepts(req: ServiceRequest): boolean {
    if (header(req, 'x-amz-target')?.startsWith(JSON_TARGET_PREFIX)) return true;
    if (req.method === 'POST' && cborOperation(req.rawPath) !== undefined) return true;
    const service = signingService(req);
    if (service !== undefined) return service === 'monitoring';
    // Unsigned query-protocol request: claim it only when it names a CloudWatch action and API version.
    if (req.method !== 'POST' || req.rawPath !== '/') return false;
    if (!(header(req, 'content-type') ?? '').includes('x-www-form-urlencoded')) return false;
    const params = new URLSearchParams(req.body.toString('utf8'));
    return params.get('Version') === '2010-08-01' && isOperation(params.get('Action') ?? '');
  }

  async handle(req: ServiceRequest): Promise<ServiceResponse> {
    const rpc = rpcOf(req);
    // The SDKs gzip large PutMetricData bodies (the operation's @requestCompression trait).
    const body = decodeBody(req);
    if (body instanceof CloudWatchError) {
      return rpc !== undefined
        ? { status: body.status, ...rpc.protocol.error(body) }
        : {
            status: body.status,
            headers: { 'content-type': 'text/xml' },
            body: XML_DECLARATION + queryError(body, req.requestId),
          };
    }
    const decoded = { ...req, body };
    if (rpc !== undefined) return this.handleRpc(decoded, rpc.operation, rpc.protocol);
    return this.handleQuery(decoded);
  }

  private async handleRpc(
    req: ServiceRequest,
    operation: string,
    protocol: RpcProtocol,
  ): Promise<ServiceResponse> {
    try {
      if (!isOperation(operation)) throw unknownOperation(operation);
      const input = protocol.decode(req.body);
      if (typeof input !== 'object' || input === null || Array.isArray(input)) {
        throw serializationError(`The request body must be ${protocol.mapName}`);
      }
      const output = await this.run(operation, input as Input);
      return { status: 200, ...protocol.response(output) };
    } catch (error) {
      const e = asCloudWatchError(error);
      return { status: e.status, ...protocol.error(e) };
    }
  }

  private async handleQuery(req: ServiceRequest): Promise<ServiceResponse> {
    const params = new URLSearchParams(req.query);
    if ((header(req, 'content-type') ?? '').includes('x-www-form-urlencoded') || req.method === 'POST') {
      for (const [k, v] of new URLSearchParams(req.body.toString('utf8'))) params.append(k, v);
    }
    const action = params.get('Action');
    try {
      if (!action) {
        throw new CloudWatchError(
          'MissingAction',
          'MissingAction',
          400,
          'The request must contain the parameter Action.',
        );
      }
      if (!isOperation(action)) throw unknownOperation(action);
      const output = await this.run(action, parseQueryParams(params));
      return {
        status: 200,
        headers: { 'content-type': 'text/xml' },
        body: XML_DECLARATION + queryResponse(action, output, req.requestId),
      };
    } catch (error) {
      const e = asCloudWatchError(error);
      return {
        status: e.status,
        headers: { 'content-type': 'text/xml' },
        body: XML_DECLARATION + queryError(e, req.requestId),
      };
    }
  }

  private run(operation: OperationName, input: Input) {
    return runOperation(operation, readInput(operation, input), { store: this.store, now: this.now });
  }
}

/** Above any CloudWatch payload (PutMetricData: 1 MB); checked on the inflated body. */
const MAX_DECOMPRESSED_BYTES = 8 * 1024 * 1024;

function decodeBody(req: ServiceRequest): Buffer | CloudWatchError {
  const encodings = (header(req, 'content-encoding') ?? '')
    .split(',')
    .map((e) => e.trim().toLowerCase())
    .filter((e) => e && e !== 'identity');
  let body = req.body;
  try {
    for (const encoding of encodings.reverse()) {
      // Bounded: a 2 KB gzip bomb would otherwise inflate to gigabytes in one synchronous call.
      if (encoding === 'gzip') body = gunzipSync(body, { maxOutputLength: MAX_DECOMPRESSED_BYTES });
      else
        return new CloudWatchError(
          'InvalidParameterValueException',
          'InvalidParameterValue',
          400,
          `Unsupported Content-Encoding ${encoding}`,
        );
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      return new CloudWatchError(
        'RequestEntityTooLarge',
        'RequestEntityTooLarge',
        413,
        `The request body inflates to more than ${MAX_DECOMPRESSED_BYTES} bytes.`,
      );
    }
    return serializationError('The request body is not valid gzip');
  }
  return body;
}

/** What the two RPC protocols (JSON 1.0, RPC v2 CBOR) do differently: read the input, write the answers. */
interface RpcProtocol {
  /** The request body as a value, `{}` when empty; a SerializationException when it cannot be read. */
  decode(body: Buffer): unknown;
  /** What the input must be, for the error when it is not: "a JSON object". */
  mapName: string;
  response(output: Output): { headers: Record<string, string>; body: string | Buffer };
  error(error: CloudWatchError): { headers: Record<string, string>; body: string | Buffer };
}

const JSON_PROTOCOL: RpcProtocol = {
  decode(body) {
    const text = body.toString('utf8').trim();
    try {
      return text === '' ? {} : parseJsonSafely(text);
    } catch (error) {
      if (error instanceof UnsafeInputError) throw serializationError(error.message);
      throw serializationError('Malformed JSON request body');
    }
  },
  mapName: 'a JSON object',
  response: (output) => ({
    headers: { 'content-type': 'application/x-amz-json-1.0' },
    body: jsonResponse(output),
  }),
  error: jsonError,
};

const CBOR_PROTOCOL: RpcProtocol = {
  decode(body) {
    if (body.length === 0) return {};
    try {
      return decodeCbor(body);
    } catch (error) {
      if (error instanceof UnsafeInputError) throw serializationError(error.message);
      if (!(error instanceof CborError)) throw error;
      throw serializationError(`The request body is not valid CBOR: ${error.message}`);
    }
  },
  mapName: 'a CBOR map',
  response: (output) => ({ headers: CBOR_HEADERS, body: cborResponse(output) }),
  error: cborError,
};

/** The operation and protocol of an RPC request (CBOR by its path, JSON by X-Amz-Target); undefined for query. */
function rpcOf(req: ServiceRequest): { operation: string; protocol: RpcProtocol } | undefined {
  const cborOp = cborOperation(req.rawPath);
  if (cborOp !== undefined) return { operation: cborOp, protocol: CBOR_PROTOCOL };
  const target = header(req, 'x-amz-target');
  if (target === undefined) return undefined;
  const operation = target.startsWith(JSON_TARGET_PREFIX) ? target.slice(JSON_TARGET_PREFIX.length) : target;
  return { operation, protocol: JSON_PROTOCOL };
}

function serializationError(message: string): CloudWatchError {
  return new CloudWatchError('SerializationException', 'SerializationException', 400, message);
}

function unknownOperation(operation: string): CloudWatchError {
  return new CloudWatchError(
    'InvalidAction',
    'InvalidAction',
    400,
    `The action ${operation} is not valid for this web service (msf-local serves GetMetricData, GetMetricStatistics, ListMetrics and PutMetricData).`,
  );
}

function asCloudWatchError(error: unknown): CloudWatchError {
  if (error instanceof CloudWatchError) return error;
  console.error('msf-local cloudwatch: internal error', error);
  return cwErrors.internal(`Internal service error: ${(error as Error)?.message ?? String(error)}`);
}
