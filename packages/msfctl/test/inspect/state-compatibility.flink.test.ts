import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { JarInspection } from '../../src/model/inspection.js';
import { inspectJar, readSnapshotState } from '../../src/adapters/inspector/inspect-jar.js';
import type { PropertyGroup } from '../../src/ports/jar-inspector.js';
import { operatorIdFromUid } from '../../src/adapters/inspector/operator-id.js';
import {
  blockingFindings,
  compareStateCompatibility,
} from '../../src/engine/preflight/state-compatibility.js';
import { STOCK_PRICES, savepointOfSavepointJob, stockPricesJars, testJobsJar } from './fixtures.js';

// What the sample job needs from its runtime properties (it refuses to build without them).
const STOCK_PRICES_PROPERTIES: PropertyGroup[] = [
  {
    PropertyGroupId: 'OutputStream0',
    PropertyMap: { 'stream.name': 'ExampleOutputStream', 'aws.region': 'us-east-1' },
  },
];

const stateFindings = (report: ReturnType<typeof compareStateCompatibility>) =>
  report.findings.filter((f) => !f.kind.startsWith('flink-version'));

describe.skipIf(!existsSync(STOCK_PRICES))(
  'state compatibility of the stock-prices variants (real JARs, Flink 1.19)',
  () => {
    const inspections = {} as Record<'baseline' | 'no-window' | 'uid-renamed', JarInspection>;

    beforeAll(async () => {
      const jars = await stockPricesJars();
      for (const variant of ['baseline', 'no-window', 'uid-renamed'] as const) {
        inspections[variant] = await inspectJar({
          jarPath: jars[variant],
          runtime: 'FLINK-1_19',
          properties: STOCK_PRICES_PROPERTIES,
          timeoutMs: 60_000,
        });
      }
    });

    it('sees the window, source and sink as stateful, under the OperatorIDs of their uids', () => {
      const window = inspections.baseline.operators.find((o) => o.name === 'windowed-avg-price');
      expect(window).toMatchObject({ uid: 'windowed-avg-price', state: 'stateful', keyed: true });
      expect(window!.operatorId).toBe(operatorIdFromUid('windowed-avg-price'));
      const stateful = inspections.baseline.operators.filter((o) => o.state === 'stateful').map((o) => o.uid);
      expect(stateful).toEqual(['source-stream', 'windowed-avg-price', 'kinesis-sink']);
    });

    it('reads the Flink version from the Flink-Version manifest entry, though pom profiles name several', () => {
      // Its pom builds Flink 1.19 by default and 1.20 under a profile: the manifest entry records which one.
      expect(inspections.baseline.flinkVersion).toMatchObject({
        version: '1.19.1',
        line: '1.19',
        basis: 'build-metadata',
        source: 'manifest attribute Flink-Version',
      });
    });

    it('finds nothing about state for the same JAR', () => {
      const report = compareStateCompatibility(inspections.baseline, inspections.baseline, {
        targetRuntime: 'FLINK-1_19',
      });
      expect(stateFindings(report)).toEqual([]);
      expect(blockingFindings(report, {})).toEqual([]);
    });

    it('reports the removed window: "stateful operator windowed-avg-price removed"', () => {
      const report = compareStateCompatibility(inspections.baseline, inspections['no-window'], {
        targetRuntime: 'FLINK-1_19',
      });
      expect(stateFindings(report)).toHaveLength(1);
      const [finding] = stateFindings(report);
      expect(finding!.message).toContain('stateful operator windowed-avg-price removed');
      expect(finding).toMatchObject({
        kind: 'stateful-operator-removed',
        acceptedBy: 'allowNonRestoredState',
      });
      expect(blockingFindings(report, { allowNonRestoredState: true })).toEqual([]);
    });

    it('reports the renamed uid: "state of windowed-avg-price will not be restored"', () => {
      const report = compareStateCompatibility(inspections.baseline, inspections['uid-renamed'], {
        targetRuntime: 'FLINK-1_19',
      });
      expect(stateFindings(report)).toHaveLength(1);
      const [finding] = stateFindings(report);
      expect(finding!.message).toContain('state of windowed-avg-price will not be restored');
      expect(finding!.message).toContain('"windowed-avg-price" to "windowed-avg-price-v2"');
      expect(finding).toMatchObject({
        kind: 'state-not-restored',
        acceptedBy: 'acceptStateLoss',
        requiresAllowNonRestoredState: true,
      });
    });
  },
);

describe('Flink version and snapshot checks (inspector test jobs)', () => {
  let jar119: string;
  let jar120: string;
  let workDir: string;

  beforeAll(async () => {
    jar119 = await testJobsJar('1.19.3');
    jar120 = await testJobsJar('1.20.5');
    workDir = await mkdtemp(join(tmpdir(), 'msfctl-state-compat-'));
  });
  afterAll(async () => {
    await rm(workDir, { recursive: true, force: true });
  });

  it('finds nothing at all for the same JAR on the runtime it was built for', async () => {
    const deployed = await inspectJar({
      jarPath: jar119,
      runtime: 'FLINK-1_19',
      entryClass: 'msfctl.inspectorjobs.ShapesJob',
    });
    expect(compareStateCompatibility(deployed, deployed, { targetRuntime: 'FLINK-1_19' }).findings).toEqual(
      [],
    );
  });

  it('refuses a JAR built against Flink 1.19 for FLINK-1_20, naming both versions', async () => {
    const deployed = await inspectJar({
      jarPath: jar120,
      runtime: 'FLINK-1_20',
      entryClass: 'msfctl.inspectorjobs.ShapesJob',
    });
    const candidate = await inspectJar({
      jarPath: jar119,
      runtime: 'FLINK-1_20',
      entryClass: 'msfctl.inspectorjobs.ShapesJob',
    });
    expect(deployed.flinkVersion.version).toBe('1.20.5');
    const report = compareStateCompatibility(deployed, candidate, { targetRuntime: 'FLINK-1_20' });
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0]).toMatchObject({
      kind: 'flink-version-mismatch',
      severity: 'error',
      acceptedBy: null,
    });
    expect(report.findings[0]!.message).toContain('Flink 1.19.3');
    expect(report.findings[0]!.message).toContain('FLINK-1_20 runs Flink 1.20');
  });

  it('checks the candidate against what the newest snapshot really holds', async () => {
    const deployed = await inspectJar({
      jarPath: jar119,
      runtime: 'FLINK-1_20',
      entryClass: 'msfctl.inspectorjobs.SavepointJob',
    });
    const snapshot = await readSnapshotState({
      snapshotPath: await savepointOfSavepointJob('FLINK-1_20', '1.19.3', workDir),
      runtime: 'FLINK-1_20',
    });
    // The same JAR takes every piece of state in the snapshot.
    const same = compareStateCompatibility(deployed, deployed, { targetRuntime: 'FLINK-1_19', snapshot });
    expect(same.findings).toEqual([]);
    expect(same.restored.map((r) => r.deployed.uid).sort()).toEqual(['counter', 'keyed-unused', 'ticks']);
    // A candidate without the counter and the stateless map: only the counter's state is lost.
    const candidate = {
      ...deployed,
      operators: deployed.operators.filter((o) => o.uid !== 'counter' && o.uid !== 'noop'),
    };
    const report = compareStateCompatibility(deployed, candidate, { targetRuntime: 'FLINK-1_19', snapshot });
    expect(report.findings.map((f) => [f.kind, f.operator?.uid])).toEqual([
      ['stateful-operator-removed', 'counter'],
    ]);
    expect(report.basedOnSnapshot).toBe(true);
  });
});
