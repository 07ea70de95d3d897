import { ServiceError } from '../control-plane/errors.js';

/** A CloudWatch Logs error, named after the model's error shape (ResourceNotFoundException, ...). */
export const logsError = (shape: string, message: string) => new ServiceError(shape, message);
export const invalidParameter = (message: string) => logsError('InvalidParameterException', message);
