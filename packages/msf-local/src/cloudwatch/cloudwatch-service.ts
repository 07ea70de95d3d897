import { gunzipSync } from 'node:zlib';
import {
  header,
  signingService,
  type Service,
  type ServiceRequest,
  type ServiceResponse,
} from '../server/service.js';
import { XML_DECLARATION } from '../s3/xml.js';
import { CloudWatchError, cwErrors } from './errors.js';
import type { MetricStore } from './metric-store.js';
import { isOperation, runOperation, type Input, type OperationName } from './operations.js';
import { CborError, decodeCbor } from './cbor.js';
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
} from './protocols.js';

/**
 * CloudWatch (metrics) on the shared edge port, in both protocols its clients send. Captured here:
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
    const target = header(req, 'x-amz-target');
    // The SDKs gzip large PutMetricData bodies (the operation's @requestCompression trait).
    const cbor = cborOperation(req.rawPath);
    const body = decodeBody(req);
    if (body instanceof CloudWatchError) {
      if (cbor !== undefined) return { status: body.status, ...cborError(body) };
      return target !== undefined
        ? { status: body.status, ...jsonError(body) }
        : {
            status: body.status,
            headers: { 'content-type': 'text/xml' },
            body: XML_DECLARATION + queryError(body, req.requestId),
          };
    }
    const decoded = { ...req, body };
    if (cbor !== undefined) return this.handleCbor(decoded, cbor);
    if (target !== undefined) return this.handleJson(decoded, target);
    return this.handleQuery(decoded);
  }

  private async handleCbor(req: ServiceRequest, operation: string): Promise<ServiceResponse> {
    try {
      if (!isOperation(operation)) throw unknownOperation(operation);
      let input: unknown = {};
      if (req.body.length > 0) {
        try {
          input = decodeCbor(req.body);
        } catch (error) {
          if (!(error instanceof CborError)) throw error;
          throw new CloudWatchError(
            'SerializationException',
            'SerializationException',
            400,
            `The request body is not valid CBOR: ${error.message}`,
          );
        }
      }
      if (typeof input !== 'object' || input === null || Array.isArray(input)) {
        throw new CloudWatchError(
          'SerializationException',
          'SerializationException',
          400,
          'The request body must be a CBOR map',
        );
      }
      const output = await this.run(operation, input as Input);
      return { status: 200, headers: CBOR_HEADERS, body: cborResponse(output) };
    } catch (error) {
      const e = asCloudWatchError(error);
      const { body, headers } = cborError(e);
      return { status: e.status, headers, body };
    }
  }

  private async handleJson(req: ServiceRequest, target: string): Promise<ServiceResponse> {
    try {
      const operation = target.startsWith(JSON_TARGET_PREFIX)
        ? target.slice(JSON_TARGET_PREFIX.length)
        : target;
      if (!isOperation(operation)) throw unknownOperation(operation);
      let input: Input;
      try {
        const text = req.body.toString('utf8').trim();
        input = text === '' ? {} : (JSON.parse(text) as Input);
      } catch {
        throw new CloudWatchError(
          'SerializationException',
          'SerializationException',
          400,
          'Malformed JSON request body',
        );
      }
      if (typeof input !== 'object' || input === null || Array.isArray(input)) {
        throw new CloudWatchError(
          'SerializationException',
          'SerializationException',
          400,
          'The request body must be a JSON object',
        );
      }
      const output = await this.run(operation, input);
      return {
        status: 200,
        headers: { 'content-type': 'application/x-amz-json-1.0' },
        body: jsonResponse(output),
      };
    } catch (error) {
      const e = asCloudWatchError(error);
      const { body, headers } = jsonError(e);
      return { status: e.status, headers, body };
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
    return runOperation(operation, input, { store: this.store, now: this.now });
  }
}

function decodeBody(req: ServiceRequest): Buffer | CloudWatchError {
  const encodings = (header(req, 'content-encoding') ?? '')
    .split(',')
    .map((e) => e.trim().toLowerCase())
    .filter((e) => e && e !== 'identity');
  let body = req.body;
  try {
    for (const encoding of encodings.reverse()) {
      if (encoding === 'gzip') body = gunzipSync(body);
      else
        return new CloudWatchError(
          'InvalidParameterValueException',
          'InvalidParameterValue',
          400,
          `Unsupported Content-Encoding ${encoding}`,
        );
    }
  } catch {
    return new CloudWatchError(
      'SerializationException',
      'SerializationException',
      400,
      'The request body is not valid gzip',
    );
  }
  return body;
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
