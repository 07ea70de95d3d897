/**
 * The service's errors, one class per AWS error code, raised by the control plane and turned into the
 * AWS JSON error shape at the API edge (400 for every client error of this service, as msf-api.md §1 says).
 */
export class ServiceError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = code;
  }

  static is(error: unknown): error is ServiceError {
    return error instanceof Error && typeof (error as ServiceError).code === 'string' && 'status' in error;
  }
}

const make = (code: string) => (message: string) => new ServiceError(code, message);

export const resourceNotFound = make('ResourceNotFoundException');
export const resourceInUse = make('ResourceInUseException');
export const concurrentModification = make('ConcurrentModificationException');
export const invalidArgument = make('InvalidArgumentException');
export const invalidRequest = make('InvalidRequestException');
export const invalidApplicationConfiguration = make('InvalidApplicationConfigurationException');
export const codeValidation = make('CodeValidationException');
export const limitExceeded = make('LimitExceededException');
export const tooManyTags = make('TooManyTagsException');
export const unsupportedOperation = make('UnsupportedOperationException');
export const validation = make('ValidationException');

/** MSF's exact text when a snapshot cannot be taken of a failing job (msf-api.md §4.7, captured 2024-12). */
export function snapshotDuringDowntime(applicationName: string): ServiceError {
  return invalidApplicationConfiguration(
    `Failed to take snapshot for the application ${applicationName} at this moment. The application is currently ` +
      `experiencing downtime. Please check the application's CloudWatch metrics or CloudWatch logs for any ` +
      `possible errors and retry the request. You can also retry the request after disabling the snapshots in ` +
      `the Kinesis Data Analytics console or by updating the ApplicationSnapshotConfiguration through the AWS SDK.`,
  );
}
