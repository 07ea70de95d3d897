/**
 * One query-protocol request served from a service model: parse, type and validate the input against the
 * operation's shape, run the handler, answer in XML — errors in the query error shape with the code and HTTP status
 * the model gives each error (NoSuchEntity → 404, EntityAlreadyExists → 409, ...).
 */
import { ServiceError } from '../control-plane/errors.js';
import type { Service, ServiceRequest, ServiceResponse } from '../server/service.js';
import { signingService } from '../server/service.js';
import type { OperationHandlers, ServiceModel } from './model.js';
import { notServed } from './model.js';
import {
  decodeQueryInput,
  looksLikeQuery,
  parseQueryRequest,
  queryParameter,
  QUERY_CONTENT_TYPE,
  queryErrorXml,
  QueryProtocolError,
  queryResponseXml,
} from './query-protocol.js';
import { ownEntry } from './safe-input.js';
import { validate } from './shape.js';

/**
 * A query-protocol API on the edge: claims requests signed for its signing name, or unsigned query requests with its
 * API version; answers them from its model and handlers.
 */
export class ModelQueryService<C> implements Service {
  constructor(
    readonly name: string,
    private readonly model: ServiceModel,
    private readonly handlers: OperationHandlers<C>,
    private readonly title: string,
    private readonly context: (req: ServiceRequest) => C,
  ) {}

  accepts(req: ServiceRequest): boolean {
    const service = signingService(req);
    if (service !== undefined) return service === this.model.SERVICE.signingName;
    return looksLikeQuery(req) && queryParameter(req, 'Version') === this.model.SERVICE.apiVersion;
  }

  handle(req: ServiceRequest): Promise<ServiceResponse> {
    return serveQuery(req, this.model, this.handlers, this.context(req), this.title);
  }
}

export async function serveQuery<C>(
  req: ServiceRequest,
  model: ServiceModel,
  handlers: OperationHandlers<C>,
  ctx: C,
  title: string,
): Promise<ServiceResponse> {
  const namespace = model.SERVICE.xmlNamespace ?? '';
  try {
    const { action, version, params } = parseQueryRequest(req);
    if (!action) throw new QueryProtocolError('MissingAction', 'Missing Action');
    const handler = ownEntry(handlers, action);
    const shape = ownEntry(model.INPUTS, action);
    const versionKnown = version === undefined || version === model.SERVICE.apiVersion;
    if (!handler || !shape || !versionKnown) {
      throw new QueryProtocolError(
        'InvalidAction',
        versionKnown && model.MODEL_OPERATIONS.has(action)
          ? notServed(title, action, handlers)
          : `Could not find operation ${action} for version ${version ?? model.SERVICE.apiVersion}`,
      );
    }
    const input = decodeQueryInput(shape, params);
    validate(shape, input);
    const result = (await handler(input, ctx)) as Record<string, unknown> | undefined;
    return {
      status: 200,
      headers: { 'content-type': QUERY_CONTENT_TYPE },
      body: queryResponseXml(action, namespace, result, req.requestId),
    };
  } catch (error) {
    const e = queryErrorOf(error, model);
    return {
      status: e.status,
      headers: { 'content-type': QUERY_CONTENT_TYPE },
      body: queryErrorXml(e, namespace, req.requestId),
    };
  }
}

interface QueryError {
  code: string;
  message: string;
  status: number;
  senderFault: boolean;
}

/**
 * A thrown error as the query protocol reports it. Services throw ServiceError with the model's error shape name
 * (NoSuchEntityException); shape.ts's validation errors become the query protocol's ValidationError.
 */
function queryErrorOf(error: unknown, model: ServiceModel): QueryError {
  if (error instanceof QueryProtocolError) {
    return {
      code: error.code,
      message: error.message,
      status: error.status,
      senderFault: error.status < 500,
    };
  }
  if (ServiceError.is(error)) {
    if (error.code === 'ValidationException' || error.code === 'SerializationException') {
      return { code: 'ValidationError', message: error.message, status: 400, senderFault: true };
    }
    const modelled = model.ERRORS[error.code];
    if (modelled) return { ...modelled, message: error.message };
    return {
      code: error.code,
      message: error.message,
      status: error.status,
      senderFault: error.status < 500,
    };
  }
  return {
    code: 'InternalFailure',
    message: `msf-local internal error: ${(error as Error)?.message ?? String(error)}`,
    status: 500,
    senderFault: false,
  };
}
