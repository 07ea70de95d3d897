/**
 * Writes the JSON Schema of msfctl's spec file (packages/msfctl/schema/msfctl.schema.json) from the zod schema.
 * Run after changing packages/msfctl/src/spec/schema.ts; a unit test fails while the committed file is stale.
 *
 *   npx tsx scripts/spec-schema.ts
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { specJsonSchema } from '../packages/msfctl/src/spec/json-schema.js';

export const SPEC_SCHEMA_FILE = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../packages/msfctl/schema/msfctl.schema.json',
);

/** The file's content: the schema as the repository's Prettier formats JSON (so `format:check` passes). */
export async function specSchemaText(): Promise<string> {
  const options = (await resolveConfig(SPEC_SCHEMA_FILE)) ?? {};
  return format(JSON.stringify(specJsonSchema()), { ...options, filepath: SPEC_SCHEMA_FILE });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await mkdir(path.dirname(SPEC_SCHEMA_FILE), { recursive: true });
  await writeFile(SPEC_SCHEMA_FILE, await specSchemaText());
  process.stdout.write(`wrote ${SPEC_SCHEMA_FILE}\n`);
}
