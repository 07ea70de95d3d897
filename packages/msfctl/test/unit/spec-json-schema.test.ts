/** The JSON Schema for editors is generated from the zod spec schema; the committed copy must be current. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SPEC_SCHEMA_FILE, specSchemaText } from '../../../../scripts/spec-schema.js';

describe('the spec JSON Schema (packages/msfctl/schema/msfctl.schema.json)', () => {
  it('is what scripts/spec-schema.ts generates from the zod schema now (else: npx tsx scripts/spec-schema.ts)', async () => {
    expect(readFileSync(SPEC_SCHEMA_FILE, 'utf8')).toBe(await specSchemaText());
  });

  it('describes the file as written: fields, enums, environments, and only the fields a file must name required', () => {
    const schema = JSON.parse(readFileSync(SPEC_SCHEMA_FILE, 'utf8')) as {
      required: string[];
      additionalProperties: boolean;
      properties: Record<string, { enum?: string[]; additionalProperties?: { required?: string[] } }>;
    };
    expect(schema.required.sort()).toEqual(['application', 'code', 'runtime']);
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.runtime!.enum).toContain('FLINK-1_20');
    // An environment overrides any field and requires none.
    expect(schema.properties.environments!.additionalProperties!.required).toBeUndefined();
  });
});
