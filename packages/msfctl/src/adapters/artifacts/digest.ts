/** SHA-256 of a file, streamed (JARs can be tens of megabytes). */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';

export async function fileDigest(file: string): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return { sha256: hash.digest('hex'), size: (await stat(file)).size };
}

/** The S3 key a JAR is stored under: its content digest, so equal JARs are uploaded once. */
export function artifactKey(prefix: string, sha256: string): string {
  return `${prefix}${sha256}.jar`;
}
