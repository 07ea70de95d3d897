/**
 * One AWS JSON 1.1 request served from a service model: the operation from X-Amz-Target, the body validated
 * against its input shape, the handler's output as JSON; errors as `{"__type", "message"}` (aws-json.ts).
 */
import { ServiceError } from '../control-plane/errors.js';
import type { Service, ServiceRequest, ServiceResponse } from '../server/service.js';
import { header } from '../server/service.js';
import { jsonError, jsonResponse, operationOf, parseJsonBody } from './aws-json.js';
import type { OperationHandlers, ServiceModel } from './model.js';
import { notServed } from './model.js';
import { ownEntry } from './safe-input.js';
import { validate } from './shape.js';

const CONTENT_TYPE = 'application/x-amz-json-1.1';
/** Above every modelled payload (PutLogEvents: 1 MiB of events); a bigger body is refused before parsing. */
const MAX_BODY_BYTES = 8 * 1024 * 1024;

/** An AWS JSON 1.1 API on the edge: claims requests whose X-Amz-Target has its prefix. */
export class ModelJsonService<C> implements Service {
  constructor(
    readonly name: string,
    private readonly model: ServiceModel,
    private readonly handlers: OperationHandlers<C>,
    private readonly title: string,
    private readonly context: (req: ServiceRequest) => C,
  ) {}

  accepts(req: ServiceRequest): boolean {
    return header(req, 'x-amz-target')?.startsWith(`${this.model.SERVICE.targetPrefix}.`) ?? false;
  }

  handle(req: ServiceRequest): Promise<ServiceResponse> {
    return serveJson(req, this.model, this.handlers, this.context(req), this.title);
  }
}

export async function serveJson<C>(
  req: ServiceRequest,
  model: ServiceModel,
  handlers: OperationHandlers<C>,
  ctx: C,
  title: string,
): Promise<ServiceResponse> {
  const prefix = model.SERVICE.targetPrefix ?? '';
  try {
    const operation = operationOf(req, prefix) ?? '';
    const handler = ownEntry(handlers, operation);
    const shape = ownEntry(model.INPUTS, operation);
    if (!handler || !shape) {
      throw new ServiceError(
        'UnknownOperationException',
        model.MODEL_OPERATIONS.has(operation)
          ? notServed(title, `${prefix}.${operation}`, handlers)
          : `Unknown operation ${prefix}.${operation}`,
      );
    }
    if (req.body.length > MAX_BODY_BYTES) {
      throw new ServiceError(
        'SerializationException',
        `The request body is ${req.body.length} bytes; msf-local accepts at most ${MAX_BODY_BYTES}.`,
        413,
      );
    }
    const input = parseJsonBody(req);
    validate(shape, input);
    return jsonResponse(await handler(input, ctx), CONTENT_TYPE);
  } catch (error) {
    return jsonError(error, CONTENT_TYPE);
  }
}
