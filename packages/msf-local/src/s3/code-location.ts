import { isS3Error } from './errors.js';

/**
 * What MSF answers when an application's S3 code location cannot be read (captured from AWS; see
 * shared/msf-api.md §6). The control plane throws this as InvalidArgumentException.
 */
export function codeLocationError(
  bucket: string,
  key: string,
): { type: 'InvalidArgumentException'; message: string } {
  return {
    type: 'InvalidArgumentException',
    message: `Please check the role provided or validity of S3 location you provided. We are unable to get the specified fileKey: ${key} in the specified bucket: ${bucket}`,
  };
}

/** True for the S3 errors that mean "that bucket/key/version is not there". */
export function isMissingObject(error: unknown): boolean {
  return (
    isS3Error(error, 'NoSuchBucket') ||
    isS3Error(error, 'NoSuchKey') ||
    isS3Error(error, 'NoSuchVersion') ||
    isS3Error(error, 'InvalidBucketName')
  );
}
