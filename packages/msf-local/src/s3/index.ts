export { S3Service, isS3Request } from './service.js';
export { S3Store } from './backend/object-store.js';
export type {
  BucketInfo,
  ObjectMeta,
  ObjectChecksum,
  PutObjectOptions,
  WriteConditions,
  S3StoreOptions,
} from './backend/model.js';
export { S3Error, isS3Error } from './errors.js';
export { codeLocationError, isMissingObject } from './code-location.js';
