import type { CodeLocation } from './model.js';

/** Where application code in S3 is read from (msf-local's own S3 store, s3/code-source.ts). */
export interface CodeSource {
  exists(location: CodeLocation): Promise<boolean>;
  copyTo(location: CodeLocation, file: string): Promise<void>;
}
