import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { planChanges } from '../../src/engine/planner.js';
import { executePlan } from '../../src/controller/executor.js';
import { progressPresenter } from '../../src/controller/presenters.js';
import { desiredFromSpec } from '../../src/spec/desired.js';
import { loadSpec } from '../../src/spec/load.js';
import { specFromLive } from '../../src/cli/import-spec.js';
import { applicationSpecSchema } from '../../src/spec/schema.js';
import { createSilentHost } from '../../src/adapters/io/memory-host.js';
import { MsfctlError } from '../../src/model/errors.js';
import { FakeMsf } from '../fakes/fake-msf.js';
import { detectDrift } from '../../src/engine/drift.js';
import { config, desired, live } from '../unit/fixtures.js';

const A = 'arn:aws:logs:us-east-1:123456789012:log-group:/msf/app:log-stream:a';
const B = 'arn:aws:logs:us-east-1:123456789012:log-group:/msf/app:log-stream:b';
const ROLE = 'arn:aws:iam::123456789012:role/flink';
const quota = 64;

function spec(extra: string) {
  const cwd = mkdtempSync(path.join(tmpdir(), 'msfctl-logging-'));
  writeFileSync(
    path.join(cwd, 'msfctl.yaml'),
    `application: app\nruntime: FLINK-1_20\nrole: ${ROLE}\ncode:\n  s3: { bucket: code-bucket, key: k.jar }\n${extra}`,
  );
  return loadSpec({ cwd, env: {} }).spec;
}

function specError(extra: string): MsfctlError {
  try {
    spec(extra);
  } catch (error) {
    if (MsfctlError.is(error)) return error;
    throw error;
  }
  throw new Error('expected an MsfctlError');
}

describe('spec: logging and tags', () => {
  it('logging: an ARN, or { group, stream } made an ARN in the region and the role account; level sets monitoring', () => {
    const code = { bucket: 'code-bucket', key: 'k.jar' };
    const byArn = desiredFromSpec(spec(`logging:\n  logStream: ${A}\n  level: WARN\n`), code);
    expect(byArn.config.logStream).toBe(A);
    expect(byArn.config.monitoring).toEqual({ custom: true, logLevel: 'WARN', metricsLevel: 'APPLICATION' });
    const byName = desiredFromSpec(spec('logging:\n  logStream: { group: /msf/app, stream: a }\n'), code, {
      region: 'us-east-1',
    });
    expect(byName.config.logStream).toBe(A);
    // No logging block: no option, the service's default monitoring; no tags block: tags unmanaged.
    const none = desiredFromSpec(spec(''), code);
    expect(none.config.logStream).toBeUndefined();
    expect(none.config.monitoring.custom).toBe(false);
    expect(none.tags).toBeUndefined();
    expect(() => desiredFromSpec(spec('logging:\n  logStream: { group: /g, stream: s }\n'), code)).toThrow(
      /needs the region/,
    );
  });

  it('refuses a log group ARN, level in both places, reserved or too many tags, naming the field', () => {
    expect(
      specError('logging:\n  logStream: arn:aws:logs:us-east-1:123456789012:log-group:/g\n').message,
    ).toMatch(/logging\.logStream.*must be a log stream ARN/s);
    expect(specError('logging:\n  level: INFO\nmonitoring:\n  logLevel: WARN\n').message).toMatch(
      /logging.*same MonitoringConfiguration/s,
    );
    expect(specError('tags:\n  "aws:cost": x\n').message).toMatch(/reserved by AWS/);
    const many = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v']));
    expect(specError(`tags: ${JSON.stringify(many)}\n`).message).toMatch(/tags.*at most 50 tags/s);
    expect(spec('tags:\n  team: data\n  cost: 12\n').tags).toEqual({ team: 'data', cost: '12' });
  });

  it('import writes the logging option and the user tags, and the result is a valid spec', () => {
    const app = live({ loggingOptions: [{ id: '1.1', logStreamArn: A }] }, { logStream: A });
    const written = specFromLive(app, { kind: 'aws', region: 'us-east-1' }, { team: 'data', 'aws:x': 'y' });
    expect(written).toMatchObject({ logging: { logStream: A }, tags: { team: 'data' } });
    expect(applicationSpecSchema.safeParse(written).success).toBe(true);
  });
});

describe('planner: logging options and tags', () => {
  it('creates with the logging option and tags in CreateApplication, nothing after', () => {
    const out = planChanges({
      desired: desired({ tags: { team: 'data' } }, { logStream: A }),
      live: undefined,
      kpuQuota: quota,
    });
    expect(out.actions[0]).toMatchObject({
      type: 'create',
      config: { logStream: A },
      tags: { team: 'data' },
    });
    expect(out.actions.map((a) => a.type)).toEqual(['create', 'start']);
  });

  it('adds an option without touching the job, before an update, and no UpdateApplication for it alone', () => {
    const onlyLogging = planChanges({
      desired: desired({}, { logStream: A }),
      live: live(),
      kpuQuota: quota,
    });
    expect(onlyLogging.actions).toEqual([
      expect.objectContaining({
        type: 'add-logging',
        logStream: A,
        effect: expect.objectContaining({ restart: false }),
      }),
    ]);
    expect(onlyLogging.changes).toEqual([
      expect.objectContaining({
        field: 'logging.logStream',
        section: 'logging',
        before: undefined,
        after: A,
      }),
    ]);
    const withLevel = planChanges({
      desired: desired(
        {},
        { logStream: A, monitoring: { custom: true, logLevel: 'INFO', metricsLevel: 'APPLICATION' } },
      ),
      live: live(),
      kpuQuota: quota,
    });
    expect(withLevel.actions.map((a) => a.type)).toEqual(['add-logging', 'update']);
    const update = withLevel.actions[1]!;
    expect(update.type === 'update' && update.changes.map((c) => c.field)).toEqual(['monitoring.logLevel']);
    expect(update.type === 'update' && update.update).toEqual({
      monitoring: { custom: true, logLevel: 'INFO', metricsLevel: 'APPLICATION' },
    });
  });

  it('moves to another stream by deleting the old option first; removes it when the spec has none', () => {
    const current = live({ loggingOptions: [{ id: '2.1', logStreamArn: A }] }, { logStream: A });
    const moved = planChanges({ desired: desired({}, { logStream: B }), live: current, kpuQuota: quota });
    expect(moved.actions.map((a) => [a.type, 'logStream' in a ? a.logStream : ''])).toEqual([
      ['delete-logging', A],
      ['add-logging', B],
    ]);
    const removed = planChanges({ desired: desired(), live: current, kpuQuota: quota });
    expect(removed.actions).toEqual([expect.objectContaining({ type: 'delete-logging', optionId: '2.1' })]);
    expect(
      planChanges({ desired: desired({}, { logStream: A }), live: current, kpuQuota: quota }).actions,
    ).toEqual([]);
  });

  it('sets and removes tags (never aws: ones), and leaves them alone when the spec has none', () => {
    const out = planChanges({
      desired: desired({ tags: { team: 'data', env: 'prod' } }),
      live: live(),
      tags: { team: 'ops', old: 'x', 'aws:cloudformation:stack-name': 's' },
      kpuQuota: quota,
    });
    expect(out.actions).toEqual([
      expect.objectContaining({ type: 'tag', set: { team: 'data', env: 'prod' }, remove: ['old'] }),
    ]);
    expect(out.changes.map((c) => c.field)).toEqual(['tags["env"]', 'tags["old"]', 'tags["team"]']);
    expect(
      planChanges({ desired: desired(), live: live(), tags: { team: 'ops' }, kpuQuota: quota }).actions,
    ).toEqual([]);
  });
});

describe('executor: logging options and tags', () => {
  it('runs add/delete logging option and tags against the service, each waited for', async () => {
    const msf = new FakeMsf({ polls: 1 });
    await msf.create('app', config({ logStream: A }), undefined, { old: 'x' });
    const before = (await msf.describe('app'))!;
    const plan = planChanges({
      desired: { ...desired({ tags: { team: 'data' } }, { logStream: B }), name: 'app', running: false },
      live: before,
      tags: await msf.listTags(before.arn),
      kpuQuota: quota,
    });
    const result = await executePlan(plan.actions, {
      gateway: msf,
      application: 'app',
      basis: before,
      presenter: progressPresenter(createSilentHost(), 'app'),
      wait: { pollMs: 1 },
    });
    expect(result.ok, result.failure?.error.message).toBe(true);
    const after = (await msf.describe('app'))!;
    expect(after.config.logStream).toBe(B);
    expect(after.loggingOptions).toEqual([{ id: '3.1', logStreamArn: B }]);
    expect(after.versionId).toBe(3);
    expect(await msf.listTags(after.arn)).toEqual({ team: 'data' });
    // The service records both as configuration updates (UpdateApplication operations).
    expect(result.operations.map((o) => [o.operation, o.status])).toEqual([
      ['UpdateApplication', 'SUCCESSFUL'],
      ['UpdateApplication', 'SUCCESSFUL'],
      ['TagResource', 'SUCCESSFUL'],
    ]);
    expect(msf.calls.filter((c) => !c.startsWith('describe') && !c.startsWith('list'))).toEqual([
      'create app',
      'delete-logging app 1.1',
      `add-logging app ${B}`,
      `tag ${after.arn} set team remove old`,
    ]);
  });
});

describe('drift: logging options and tags', () => {
  it('shows a logging option changed elsewhere (a new version), and tags changed elsewhere (no version)', () => {
    const expected = {
      versionId: 3,
      status: 'RUNNING' as const,
      config: config({ logStream: A }),
      at: new Date(0).toISOString(),
      by: 'apply' as const,
      tags: { team: 'data' },
    };
    const moved = detectDrift(expected, live({ versionId: 4 }, { logStream: B }), [], new Set());
    expect(moved.changes).toEqual([
      expect.objectContaining({ field: 'logging.logStream', before: A, after: B }),
    ]);
    const retagged = detectDrift(expected, live({}, { logStream: A }), [], new Set(), [], {
      team: 'ops',
      'aws:x': 'y',
    });
    expect(retagged.changes).toEqual([
      expect.objectContaining({ field: 'tags["team"]', before: 'data', after: 'ops' }),
    ]);
    // Tags not listed (the spec does not manage them): nothing said about them.
    expect(detectDrift(expected, live({}, { logStream: A }), [], new Set()).changes).toEqual([]);
  });
});
