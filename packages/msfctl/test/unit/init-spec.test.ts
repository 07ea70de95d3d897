/** The spec `msfctl init` writes: commented, schema line first, and valid as msfctl loads it. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { initSpecYaml } from '../../src/spec/init.js';
import { SPEC_SCHEMA_ID } from '../../src/spec/json-schema.js';
import { loadSpec } from '../../src/spec/load.js';
import { readTfvars } from '../../src/spec/tfvars.js';

const TFVARS = fileURLToPath(
  new URL('../../../../examples/stock-prices/config.tfvars.json', import.meta.url),
);

function writeSpec(text: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'msfctl-init-'));
  writeFileSync(path.join(dir, 'app.jar'), 'not really a jar');
  const file = path.join(dir, 'msfctl.yaml');
  writeFileSync(file, text);
  return file;
}

describe('msfctl init spec', () => {
  it('for a JAR: schema line, a comment on each field, and a spec that loads (local, and aws given a role)', () => {
    const text = initSpecYaml(
      { application: 'orders', runtime: 'FLINK-1_20', code: { jar: 'app.jar' } },
      'header',
    );
    expect(text.split('\n')[0]).toBe(`# yaml-language-server: $schema=${SPEC_SCHEMA_ID}`);
    expect(text).toContain('# role: arn:aws:iam::123456789012:role/my-flink-app');
    expect(text).toMatch(/# The Flink runtime: .*\nruntime: FLINK-1_20\n/);
    const file = writeSpec(text);
    const local = loadSpec({ file, environment: 'local' });
    expect(local.spec).toMatchObject({
      application: 'orders',
      runtime: 'FLINK-1_20',
      target: { kind: 'local' },
    });
    const aws = loadSpec({ file, overrides: { role: 'arn:aws:iam::123456789012:role/orders' }, env: {} });
    expect(aws.spec).toMatchObject({
      target: { kind: 'aws' },
      deploy: { bakeSeconds: 120, onFailure: 'rollback' },
    });
  });

  it("from the seed's tfvars: keeps its values (properties, autoscaling, log level) with the code given", () => {
    const { document, problems } = readTfvars(JSON.parse(readFileSync(TFVARS, 'utf8')), {
      codeOverride: { jar: 'app.jar' },
    });
    expect(problems).toEqual([]);
    const text = initSpecYaml(
      { application: 'ignored', runtime: 'FLINK-1_20', code: { jar: 'app.jar' }, fromTfvars: document },
      'from tfvars',
    );
    const { spec } = loadSpec({ file: writeSpec(text), environment: 'local' });
    expect(spec).toMatchObject({
      application: 'flink-terraform-lifecycle',
      runtime: 'FLINK-1_19',
      code: { jar: expect.stringMatching(/app\.jar$/) },
      parallelism: { autoscaling: false },
      monitoring: { logLevel: 'ERROR' },
      properties: { OutputStream0: { 'stream.name': 'ExampleOutputStream' } },
    });
  });
});
