/**
 * The spec file as a JSON Schema, for editors (YAML language server, VS Code, IntelliJ): derived from the zod
 * schema msfctl validates with, so the two cannot disagree. Generated into packages/msfctl/schema/ by
 * `npx tsx scripts/spec-schema.ts`; a unit test checks the committed file is current.
 */
import { z } from 'zod';
import { applicationFields } from './schema.js';

export const SPEC_SCHEMA_ID = 'https://unpkg.com/msfctl/schema/msfctl.schema.json';

export function specJsonSchema(): Record<string, unknown> {
  const application = z.strictObject(applicationFields);
  // The role may come from --role or MSFCTL_ROLE_ARN instead of the file.
  const file = application.partial({ role: true }).extend({
    environments: z
      .record(z.string(), application.partial())
      .optional()
      .describe('Named environments: each overrides any of the fields above (msfctl -e NAME).'),
    defaultEnvironment: z
      .string()
      .optional()
      .describe('The environment used when no -e / MSFCTL_ENV is given.'),
  });
  // io: 'input' describes what a user writes (defaults make fields optional); checks zod cannot express in JSON
  // Schema (refinements across fields) stay msfctl's: `msfctl validate` reports them.
  const schema = z.toJSONSchema(file, { io: 'input', unrepresentable: 'any' });
  return {
    ...schema,
    $id: SPEC_SCHEMA_ID,
    title: 'msfctl spec (msfctl.yaml)',
  };
}
