/**
 * `msfctl init`: a first spec, commented field by field, for a JAR, a Maven project, or the seed's Terraform
 * variables (their values kept). Only fields the user is likely to change are written; every other field has
 * its default (see the JSON Schema the first line points editors at).
 */
import { Document, isMap, isScalar, type Pair, type Scalar } from 'yaml';
import { SPEC_SCHEMA_ID } from './json-schema.js';

export interface InitSpecInput {
  application: string;
  runtime: string;
  code: { jar: string } | { maven: string };
  /** The service execution role (--role); without it the spec shows where to put one. */
  role?: string;
  /** What a tfvars file already says (readTfvars' document); its values win over the defaults below. */
  fromTfvars?: Record<string, unknown>;
}

/** Why each top-level field is there; written above it. */
const COMMENTS: Record<string, string> = {
  application: ' The application name in Managed Service for Apache Flink (unique per account and region).',
  runtime: ' The Flink runtime: FLINK-1_19, FLINK-1_20 or FLINK-2_2 (msf-local runs these three).',
  role: ' The service execution role msfctl hands the application.',
  running: [
    ' The service execution role msfctl hands the application (or give --role / MSFCTL_ROLE_ARN):',
    ' role: arn:aws:iam::123456789012:role/my-flink-app',
    '',
    ' Desired state: true keeps the job RUNNING, false keeps it stopped.',
  ].join('\n'),
  code: ' The JAR: jar (a file), maven (a project msfctl builds with mvn package), or s3 ({bucket, key}).',
  artifacts:
    ' Where msfctl uploads the JAR (content-addressed keys under the prefix); the bucket must exist.',
  parallelism: ' Parallelism and parallelism per KPU (1-8); KPUs = ceil(parallelism / perKpu).',
  monitoring: ' CloudWatch logging and metrics levels.',
  snapshots: ' Snapshots: taken on stop and update (legacy application snapshots, or mode: enhanced).',
  restore: ' What a start restores: latest, none, or snapshot (with snapshot: NAME).',
  properties: [
    ' Runtime properties: the groups KinesisAnalyticsRuntime.getApplicationProperties() returns, e.g.',
    ' OutputStream0: { stream.name: ExampleOutputStream, aws.region: us-east-1 }',
  ].join('\n'),
  deploy: [
    ' Safe deploys: after each deploy, watch the job for bakeSeconds; on a failure or a crash loop,',
    ' rollback, stop, or none.',
  ].join('\n'),
  target:
    ' Where the application runs: aws (region from the spec, AWS_REGION or the profile) or local (msf-local).',
  environments: [
    ' Environments override any field above: `msfctl -e local apply` deploys to msf-local on this machine',
    ' (started when not running; no AWS account needed).',
  ].join('\n'),
};

const RUNNING = ' Desired state: true keeps the job RUNNING, false keeps it stopped.';

/** Field order of the written spec. */
const ORDER = Object.keys(COMMENTS);

export function initSpecDocument(input: InitSpecInput): Record<string, unknown> {
  const defaults: Record<string, unknown> = {
    application: input.application,
    runtime: input.runtime,
    ...(input.role ? { role: input.role } : {}),
    running: true,
    code: input.code,
    artifacts: { bucket: `${input.application.toLowerCase().replace(/[^a-z0-9.-]/g, '-')}-artifacts` },
    parallelism: { parallelism: 1, perKpu: 1, autoscaling: true },
    properties: {},
    deploy: { bakeSeconds: 120, onFailure: 'rollback' },
    environments: { local: { target: 'local' } },
  };
  const merged = { ...defaults, ...input.fromTfvars, code: input.code };
  return Object.fromEntries(
    Object.entries(merged)
      .filter(([, value]) => value !== undefined)
      .sort(([a], [b]) => rank(a) - rank(b)),
  );
}

/** The spec as commented YAML, starting with the schema line editors (YAML language server) read. */
export function initSpecYaml(input: InitSpecInput, header: string): string {
  const doc = new Document(initSpecDocument(input));
  doc.commentBefore = [` yaml-language-server: $schema=${SPEC_SCHEMA_ID}`, ` ${header}`].join('\n');
  if (isMap(doc.contents)) {
    for (const [index, pair] of (doc.contents.items as Pair<Scalar, unknown>[]).entries()) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      // With a role written, the commented-out example role above `running` would only confuse.
      const comment = key === 'running' && input.role ? RUNNING : COMMENTS[key];
      if (comment) {
        pair.key.commentBefore = comment;
        pair.key.spaceBefore = index > 0;
      }
    }
  }
  return doc.toString({ lineWidth: 0 });
}

function rank(key: string): number {
  const index = ORDER.indexOf(key);
  return index === -1 ? ORDER.length : index;
}
