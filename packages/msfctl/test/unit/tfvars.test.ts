import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { MsfctlError } from '../../src/model/errors.js';
import { loadSpec } from '../../src/spec/load.js';
import { readTfvars } from '../../src/spec/tfvars.js';

/** The seed's terraform/config.tfvars.json (seed-sample-repo.md §2.1). */
const SEED = {
  flink_app_environment_variables: {
    OutputStream0: { 'stream.name': 'ExampleOutputStream', 'aws.region': 'us-east-1' },
  },
  flink_app_name: 'flink-terraform-lifecycle',
  flink_app_runtime_environment: 'FLINK-1_19',
  flink_app_allow_non_restored_state: 'false',
  s3_bucket_name: 'your-s3-bucket-name',
  flink_app_parallelism: 1,
  flink_app_parallelism_per_kpu: 1,
  flink_app_autoscaling_enabled: false,
  flink_app_monitoring_log_level: 'ERROR',
  flink_app_monitoring_metrics_level: 'APPLICATION',
  flink_app_snapshots_enabled: true,
  flink_app_restore_type: 'RESTORE_FROM_LATEST_SNAPSHOT',
  flink_app_snapshot_name: '',
  flink_app_start: true,
  code_content_type: 'ZIPFILE',
};

describe('tfvars mapping', () => {
  it('maps every seed variable to its spec field, with the seed defaults for the rest', () => {
    const r = readTfvars({ ...SEED, s3_file_key: 'flink-app/app.jar' });
    expect(r.problems).toEqual([]);
    expect(r.warnings).toEqual([]);
    expect(r.document).toEqual({
      application: 'flink-terraform-lifecycle',
      runtime: 'FLINK-1_19',
      running: true,
      properties: SEED.flink_app_environment_variables,
      parallelism: { parallelism: 1, perKpu: 1, autoscaling: false },
      monitoring: { logLevel: 'ERROR', metricsLevel: 'APPLICATION' },
      // The seed's log group and stream, both named after the application.
      logging: { logStream: { group: 'flink-terraform-lifecycle', stream: 'flink-terraform-lifecycle' } },
      snapshots: true,
      restore: { from: 'latest', allowNonRestoredState: false },
      target: { kind: 'aws', region: 'us-east-1' },
      code: { s3: { bucket: 'your-s3-bucket-name', key: 'flink-app/app.jar' } },
    });
    const byVar = Object.fromEntries(r.mapping.map((m) => [m.variable, m]));
    expect(byVar.flink_app_restore_type!.fields).toEqual(['restore.from']);
    expect(byVar.region).toMatchObject({ source: 'default', value: 'us-east-1', fields: ['target.region'] });
    expect(byVar.cloudwatch_log_retention).toMatchObject({ source: 'default', fields: [] });
  });

  it('warns about unknown variables instead of dropping them silently', () => {
    const r = readTfvars({ ...SEED, s3_file_key: 'k', flink_app_paralelism: 4 });
    expect(r.warnings).toEqual([
      expect.stringContaining('unknown variable "flink_app_paralelism" is ignored'),
    ]);
    expect(r.mapping.find((m) => m.variable === 'flink_app_paralelism')).toMatchObject({
      fields: [],
      note: 'unknown: ignored',
    });
  });

  it('coerces like Terraform (numeric strings, "true"/"false") and names the variable on bad values', () => {
    const r = readTfvars({
      ...SEED,
      s3_file_key: 'k',
      flink_app_parallelism: '4',
      flink_app_start: 'false',
      flink_app_allow_non_restored_state: true,
    });
    expect(r.document).toMatchObject({
      parallelism: { parallelism: 4 },
      running: false,
      restore: { allowNonRestoredState: true },
    });
    const bad = readTfvars({
      ...SEED,
      s3_file_key: 'k',
      flink_app_parallelism: 'many',
      flink_app_snapshots_enabled: 'yes',
    });
    expect(bad.problems).toEqual([
      { variable: 'flink_app_parallelism', message: 'must be a number (got "many")' },
      { variable: 'flink_app_snapshots_enabled', message: 'must be true or false (got "yes")' },
    ]);
  });

  it('maps the three restore types, and requires a snapshot name for a custom one', () => {
    expect(
      readTfvars({ ...SEED, s3_file_key: 'k', flink_app_restore_type: 'SKIP_RESTORE_FROM_SNAPSHOT' }).document
        .restore,
    ).toEqual({ from: 'none', allowNonRestoredState: false });
    expect(
      readTfvars({
        ...SEED,
        s3_file_key: 'k',
        flink_app_restore_type: 'RESTORE_FROM_CUSTOM_SNAPSHOT',
        flink_app_snapshot_name: 'snap-1',
      }).document.restore,
    ).toEqual({ from: 'snapshot', snapshot: 'snap-1', allowNonRestoredState: false });
    expect(
      readTfvars({ ...SEED, s3_file_key: 'k', flink_app_restore_type: 'RESTORE_FROM_CUSTOM_SNAPSHOT' })
        .problems,
    ).toEqual([
      {
        variable: 'flink_app_snapshot_name',
        message: 'is required when flink_app_restore_type is RESTORE_FROM_CUSTOM_SNAPSHOT',
      },
    ]);
    expect(
      readTfvars({ ...SEED, s3_file_key: 'k', flink_app_restore_type: 'LATEST' }).problems[0]!.message,
    ).toContain('must be one of RESTORE_FROM_LATEST_SNAPSHOT');
  });

  it('without s3_file_key asks for --jar/--maven, which then upload to s3_bucket_name', () => {
    const missing = readTfvars(SEED);
    expect(missing.problems.map((p) => p.variable)).toEqual(['s3_file_key']);
    expect(missing.problems[0]!.message).toContain('--jar FILE or --maven DIR');
    const withJar = readTfvars(SEED, { codeOverride: { jar: '/tmp/app.jar' } });
    expect(withJar.problems).toEqual([]);
    expect(withJar.document).toMatchObject({
      code: { jar: '/tmp/app.jar' },
      artifacts: { bucket: 'your-s3-bucket-name', prefix: 'flink-app/' },
    });
    expect(withJar.mapping.find((m) => m.variable === 's3_file_key')).toMatchObject({ source: 'flag' });
  });

  it('requires the variables the seed declares without defaults, and a ZIPFILE code type', () => {
    const r = readTfvars({ flink_app_name: 'x', code_content_type: 'PLAINTEXT', s3_file_key: 'k' });
    expect(r.problems.map((p) => p.variable).sort()).toEqual([
      'code_content_type',
      'flink_app_environment_variables',
      's3_bucket_name',
    ]);
  });

  it('loads through loadSpec: the role comes from --role, validation names the tfvars', () => {
    const d = mkdtempSync(path.join(tmpdir(), 'msfctl-tfvars-'));
    writeFileSync(
      path.join(d, 'config.tfvars.json'),
      JSON.stringify({ ...SEED, s3_file_key: 'flink-app/x.jar' }),
    );
    let error: unknown;
    try {
      loadSpec({ cwd: d, tfvars: 'config.tfvars.json', env: {} });
    } catch (e) {
      error = e;
    }
    expect(MsfctlError.is(error, 'SPEC_INVALID')).toBe(true);
    expect((error as Error).message).toContain(
      "role: is required (the seed's Terraform creates the role: give --role ARN or set MSFCTL_ROLE_ARN)",
    );
    const { spec, source } = loadSpec({
      cwd: d,
      tfvars: 'config.tfvars.json',
      env: {},
      overrides: { role: 'arn:aws:iam::123456789012:role/r' },
    });
    expect(source.kind).toBe('tfvars');
    expect(spec.application).toBe('flink-terraform-lifecycle');
    expect(spec.monitoring).toEqual({ logLevel: 'ERROR', metricsLevel: 'APPLICATION' });
    // Terraform has no safe deploys: a tfvars spec gets msfctl's defaults (bake 2 minutes, roll back).
    expect(spec.deploy).toEqual({ bakeSeconds: 120, onFailure: 'rollback', acceptStateLoss: false });
    // target: local replaces the tfvars target and makes the role optional.
    expect(
      loadSpec({ cwd: d, tfvars: 'config.tfvars.json', env: {}, overrides: { targetKind: 'local' } }).spec
        .target,
    ).toEqual({ kind: 'local' });
  });

  it('rejects a tfvars file that is not JSON with a hint about HCL', () => {
    const d = mkdtempSync(path.join(tmpdir(), 'msfctl-tfvars-'));
    writeFileSync(path.join(d, 'config.tfvars'), 'flink_app_name = "x"\n');
    expect(() => loadSpec({ cwd: d, tfvars: 'config.tfvars', env: {} })).toThrow(/is not valid JSON/);
  });
});
