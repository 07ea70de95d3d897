export { S3Service, isS3Request } from './s3-service.js';
export {
  S3Store,
  type BucketInfo,
  type ObjectMeta,
  type ObjectChecksum,
  type PutObjectOptions,
  type WriteConditions,
  type S3StoreOptions,
} from './object-store.js';
export { S3Error, isS3Error } from './errors.js';
export { codeLocationError, isMissingObject } from './code-location.js';
