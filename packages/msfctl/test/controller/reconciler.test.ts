/**
 * One controller pass over one application (reconcileApp) on the in-memory MSF whose "no-such-stream"
 * configuration crash-loops: reconcile: auto applies, manual only reports; a spec whose apply failed is held
 * (not applied again) until the file changes.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { createSilentHost } from '../../src/adapters/io/memory-host.js';
import { LocalObjectStore } from '../../src/adapters/state/local-object-store.js';
import { reconcileApp, type AppMemory, type ControlledApp } from '../../src/controller/reconciler.js';
import type { LoadedSpec } from '../../src/spec/load.js';
import { applicationSpecSchema } from '../../src/spec/schema.js';
import { fakeArtifacts } from '../fakes/artifacts.js';
import { fakeClock } from '../fakes/fake-msf.js';
import { LoopingMsf, metrics } from './support/looping-msf.js';

let msf: LoopingMsf;
let state: LocalObjectStore;
// The fake service stamps its operations with this clock too.
let clock = fakeClock();

function controlled(stream: string, reconcile: 'auto' | 'manual' = 'auto'): ControlledApp {
  const spec = applicationSpecSchema.parse({
    application: 'app',
    runtime: 'FLINK-1_19',
    role: 'arn:aws:iam::123456789012:role/r',
    code: { s3: { bucket: 'code', key: 'v1.jar' } },
    properties: { OutputStream0: { 'stream.name': stream, 'aws.region': 'us-east-1' } },
    reconcile,
    deploy: { bakeSeconds: 0, onFailure: 'rollback' },
  });
  const loaded: LoadedSpec = {
    spec,
    source: { kind: 'spec', path: 'app.yaml' },
    baseDir: '/tmp',
    warnings: [],
    digest: `digest-${stream}-${reconcile}`,
  };
  return {
    file: 'app.yaml',
    application: 'app',
    spec: loaded,
    host: createSilentHost(),
    open: async () => ({
      state,
      ports: {
        gateway: msf,
        artifacts: fakeArtifacts(),
        metrics: metrics(msf),
        planTarget: async () => ({ region: 'us-east-1' }),
        createsBuckets: false,
      },
    }),
  };
}

const pass = (app: ControlledApp, memory: AppMemory) =>
  reconcileApp(app, memory, { since: clock.now(), clock });

beforeEach(() => {
  clock = fakeClock();
  msf = new LoopingMsf('app', { now: () => clock.now() });
  state = new LocalObjectStore(mkdtempSync(path.join(tmpdir(), 'msfctl-reconcile-')));
});

describe('reconcileApp', () => {
  it('manual: the pending changes are reported, nothing is created', async () => {
    const report = await pass(controlled('prices', 'manual'), {});
    expect(report).toMatchObject({ status: 'MISSING', pending: 2, lastReconcile: { result: 'pending' } });
    expect(await msf.describe('app')).toBeUndefined();
  });

  it('auto: applies, then is in sync', async () => {
    const memory: AppMemory = {};
    const first = await pass(controlled('prices'), memory);
    expect(first).toMatchObject({ status: 'RUNNING', versionId: 1, lastReconcile: { result: 'applied' } });
    expect(first.did).toEqual(['applied: create + start']);
    const second = await pass(controlled('prices'), memory);
    expect(second).toMatchObject({ lastReconcile: { result: 'in sync' }, pending: 0, did: [] });
  });

  it('a spec whose apply failed is held — not applied again — until the file changes', async () => {
    const memory: AppMemory = {};
    await pass(controlled('prices'), memory);
    msf.failNext.UpdateApplication = 'the service refused the update';
    const failed = await pass(controlled('prices-v2'), memory);
    expect(failed.lastReconcile).toMatchObject({ result: 'failed' });
    expect(memory.held).toBe('digest-prices-v2-auto');

    const held = await pass(controlled('prices-v2'), memory);
    expect(held).toMatchObject({ lastReconcile: { result: 'held' }, pending: 1, did: [] });
    expect((await msf.describe('app'))?.config.properties.OutputStream0?.['stream.name']).toBe('prices');

    const fixed = await pass(controlled('prices-v3'), memory);
    expect(fixed.lastReconcile.result).toBe('applied');
    expect((await msf.describe('app'))?.config.properties.OutputStream0?.['stream.name']).toBe('prices-v3');
  });
});
