/**
 * A CloudWatch error. `shape` is the modelled error (JSON protocol `__type`), `code` the awsQueryError code
 * that the query protocol's <Code> and the JSON protocol's `x-amzn-query-error` header carry.
 */
export class CloudWatchError extends Error {
  constructor(
    readonly shape: string,
    readonly code: string,
    readonly status: number,
    message: string,
    readonly fault: 'Sender' | 'Receiver' = 'Sender',
    /** The member that holds the message in the JSON shape (CloudWatch mixes `message` and `Message`). */
    readonly messageMember: 'message' | 'Message' = 'message',
  ) {
    super(message);
    this.name = shape;
  }
}

export const cwErrors = {
  invalidParameterValue: (message: string) =>
    new CloudWatchError('InvalidParameterValueException', 'InvalidParameterValue', 400, message),
  /** GetMetricData's name for a parameter that breaks the model (the older operations say InvalidParameterValue). */
  validation: (message: string) => new CloudWatchError('ValidationError', 'ValidationError', 400, message),
  missingParameter: (message: string) =>
    new CloudWatchError('MissingRequiredParameterException', 'MissingParameter', 400, message),
  invalidParameterCombination: (message: string) =>
    new CloudWatchError('InvalidParameterCombinationException', 'InvalidParameterCombination', 400, message),
  invalidNextToken: (message = 'The service cannot process the token because it is not valid.') =>
    new CloudWatchError('InvalidNextToken', 'InvalidNextToken', 400, message),
  limitExceeded: (message: string) =>
    new CloudWatchError(
      'LimitExceededException',
      'LimitExceededException',
      400,
      message,
      'Sender',
      'Message',
    ),
  internal: (message = 'Internal service error') =>
    new CloudWatchError('InternalServiceFault', 'InternalServiceError', 500, message, 'Receiver', 'Message'),
};
