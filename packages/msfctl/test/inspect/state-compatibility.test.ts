import { describe, expect, it } from 'vitest';

import type { InspectedOperator, JarFlinkVersion, SnapshotState } from '../../src/model/inspection.js';
import { operatorIdFromUid } from '../../src/adapters/inspector/operator-id.js';
import {
  blockingFindings,
  compareStateCompatibility,
  type OperatorTable,
} from '../../src/engine/preflight/state-compatibility.js';

const WINDOW_CLASS = 'org.apache.flink.streaming.runtime.operators.windowing.WindowOperator';

/** An operator as the inspector reports it; the OperatorID follows from the uid like Flink's. */
function op(name: string, overrides: Partial<InspectedOperator> = {}): InspectedOperator {
  const uid = overrides.uid === undefined ? name : overrides.uid;
  const operatorId = overrides.operatorId ?? operatorIdFromUid(uid ?? `auto:${name}`);
  return {
    nodeId: 1,
    name,
    uid,
    userHash: null,
    operatorId,
    userDefinedOperatorId: null,
    vertexId: operatorId,
    vertexName: name,
    parallelism: 1,
    maxParallelism: -1,
    keyed: false,
    operatorClass: 'org.apache.flink.streaming.api.operators.StreamMap',
    state: 'stateless',
    stateReasons: [],
    ...overrides,
  };
}

const source = op('Source: data-generator', {
  uid: 'source-stream',
  state: 'stateful',
  stateReasons: ['source (split and enumerator state)'],
  operatorClass: 'org.apache.flink.streaming.api.operators.SourceOperator',
});
const window = op('windowed-avg-price', {
  keyed: true,
  state: 'stateful',
  stateReasons: ['window state (WindowOperator)'],
  operatorClass: WINDOW_CLASS,
});
const sink = op('kinesis-sink: Writer', {
  uid: 'kinesis-sink',
  state: 'stateful',
  stateReasons: ['sink writer state (KinesisStreamsSink)'],
  operatorClass: 'org.apache.flink.streaming.runtime.operators.sink.SinkWriterOperator',
});
const mapper = op('format', { uid: null });

function version(v: string, line: string | null = v.split('.').slice(0, 2).join('.')): JarFlinkVersion {
  return {
    version: v,
    line,
    source: 'pom META-INF/maven/com.example/app/pom.xml: flink.version',
    ambiguous: false,
    basis: line ? 'pom-declaration' : null,
    evidence: line ? [{ source: 'pom', version: v, line }] : [],
  };
}

function table(operators: InspectedOperator[], flinkVersion?: JarFlinkVersion): OperatorTable {
  return { operators, ...(flinkVersion ? { flinkVersion } : {}) };
}

const baseline = table([source, mapper, window, sink], version('1.20.0'));
const target = { targetRuntime: 'FLINK-1_20' };

describe('compareStateCompatibility', () => {
  it('finds nothing for the same JAR and lists every stateful operator as restored', () => {
    const report = compareStateCompatibility(baseline, baseline, target);
    expect(report.findings).toEqual([]);
    expect(report.requiresAllowNonRestoredState).toBe(false);
    expect(report.restored.map((r) => r.deployed.name)).toEqual([source.name, window.name, sink.name]);
    expect(report.basedOnSnapshot).toBe(false);
  });

  it('reports a removed stateful operator, whose state needs AllowNonRestoredState', () => {
    const report = compareStateCompatibility(
      baseline,
      table([source, mapper, sink], version('1.20.0')),
      target,
    );
    expect(report.findings).toHaveLength(1);
    const [finding] = report.findings;
    expect(finding).toMatchObject({
      kind: 'stateful-operator-removed',
      severity: 'error',
      operator: { name: 'windowed-avg-price', uid: 'windowed-avg-price', operatorId: window.operatorId },
      acceptedBy: 'allowNonRestoredState',
      requiresAllowNonRestoredState: true,
    });
    expect(finding!.message).toContain('stateful operator windowed-avg-price removed');
    expect(finding!.message).toContain(window.operatorId);
    expect(report.requiresAllowNonRestoredState).toBe(true);
  });

  it('reports a renamed uid as state that will not be restored, accepted only by acceptStateLoss', () => {
    const renamed = op('windowed-avg-price', {
      ...window,
      uid: 'windowed-avg-price-v2',
      operatorId: undefined,
    });
    const candidate = table([
      source,
      mapper,
      { ...renamed, operatorId: operatorIdFromUid('windowed-avg-price-v2') },
      sink,
    ]);
    const report = compareStateCompatibility(baseline, candidate, target);
    expect(report.findings).toHaveLength(1);
    const [finding] = report.findings;
    expect(finding).toMatchObject({
      kind: 'state-not-restored',
      acceptedBy: 'acceptStateLoss',
      requiresAllowNonRestoredState: true,
      replacement: { uid: 'windowed-avg-price-v2', operatorId: operatorIdFromUid('windowed-avg-price-v2') },
    });
    expect(finding!.message).toContain('state of windowed-avg-price will not be restored');
    expect(finding!.message).toContain('"windowed-avg-price" to "windowed-avg-price-v2"');
  });

  it('explains an auto-generated OperatorID that changed with the topology', () => {
    const counter = op('counter', {
      uid: null,
      keyed: true,
      state: 'maybe',
      stateReasons: ['keyed operator'],
    });
    const moved = { ...counter, operatorId: operatorIdFromUid('other position') };
    const report = compareStateCompatibility(table([counter]), table([moved]), target);
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0]!.kind).toBe('state-not-restored');
    expect(report.findings[0]!.message).toMatch(
      /state of counter will not be restored: it has no uid and its auto-generated OperatorID changed/,
    );
  });

  it('explains a uid that was removed and a uid that was added', () => {
    const withUid = op('counter', { uid: 'counter', keyed: true, state: 'stateful' });
    const withoutUid = { ...withUid, uid: null, operatorId: operatorIdFromUid('auto-hash') };
    expect(
      compareStateCompatibility(table([withUid]), table([withoutUid]), target).findings[0]!.message,
    ).toContain('its uid "counter" was removed');
    const autoBefore = { ...withUid, uid: null, operatorId: operatorIdFromUid('auto-hash') };
    expect(
      compareStateCompatibility(table([autoBefore]), table([withUid]), target).findings[0]!.message,
    ).toContain('it now has uid "counter"');
  });

  it('treats a stateful operator renamed beyond recognition (other name) as removed', () => {
    const other = op('sliding-avg', {
      ...window,
      name: 'sliding-avg',
      uid: 'sliding-avg',
      operatorId: operatorIdFromUid('sliding-avg'),
    });
    const report = compareStateCompatibility(baseline, table([source, mapper, other, sink]), target);
    expect(report.findings.map((f) => f.kind)).toEqual(['stateful-operator-removed']);
  });

  it('uses each candidate operator as the replacement of at most one lost operator', () => {
    const a = op('agg', { uid: 'agg-1', keyed: true, state: 'stateful' });
    const b = op('agg', { uid: 'agg-2', keyed: true, state: 'stateful' });
    const c = op('agg', { uid: 'agg-3', keyed: true, state: 'stateful' });
    const report = compareStateCompatibility(table([a, b]), table([c]), target);
    expect(report.findings.map((f) => f.kind)).toEqual(['state-not-restored', 'stateful-operator-removed']);
  });

  it('matches state through a user-defined OperatorID (setUidHash), as Flink restore does', () => {
    const rehashed = {
      ...window,
      uid: 'window-v2',
      operatorId: operatorIdFromUid('window-v2'),
      userHash: window.operatorId,
      userDefinedOperatorId: window.operatorId,
    };
    const report = compareStateCompatibility(baseline, table([source, mapper, rehashed, sink]), target);
    expect(report.findings).toEqual([]);
    expect(report.restored.find((r) => r.deployed.name === window.name)?.candidate.uid).toBe('window-v2');
  });

  it('words an operator that only may hold state accordingly', () => {
    const keyed = op('dedupe', { keyed: true, state: 'maybe', stateReasons: ['keyed operator (keyBy)'] });
    const report = compareStateCompatibility(table([source, keyed]), table([source]), target);
    expect(report.findings[0]!.message).toContain(
      'operator dedupe, which may hold state (keyed operator (keyBy)), removed',
    );
  });

  it('ignores stateless operators that were removed or changed', () => {
    const report = compareStateCompatibility(
      baseline,
      table([source, window, sink], version('1.20.0')),
      target,
    );
    expect(report.findings).toEqual([]);
  });

  describe('max parallelism', () => {
    const withMax = (o: InspectedOperator, max: number) => ({ ...o, maxParallelism: max });

    it('refuses a change between two configured values', () => {
      const report = compareStateCompatibility(
        table([withMax(window, 128)]),
        table([withMax(window, 256)]),
        target,
      );
      expect(report.findings).toHaveLength(1);
      expect(report.findings[0]).toMatchObject({
        kind: 'max-parallelism-changed',
        severity: 'error',
        acceptedBy: null,
      });
      expect(report.findings[0]!.message).toContain('from 128 to 256');
      expect(report.requiresAllowNonRestoredState).toBe(false);
    });

    it('accepts a candidate that leaves max parallelism unset (Flink adopts the snapshot value)', () => {
      expect(
        compareStateCompatibility(table([withMax(window, 128)]), table([window]), target).findings,
      ).toEqual([]);
    });

    it('warns when max parallelism becomes configured and the deployed value is unknown', () => {
      const report = compareStateCompatibility(table([window]), table([withMax(window, 256)]), target);
      expect(report.findings[0]).toMatchObject({ kind: 'max-parallelism-changed', severity: 'warning' });
    });

    it('uses the snapshot value when a snapshot is given', () => {
      const snapshot = snapshotOf([[window.operatorId, { maxParallelism: 128 }]]);
      const report = compareStateCompatibility(table([window]), table([withMax(window, 256)]), {
        ...target,
        snapshot,
      });
      expect(report.findings[0]).toMatchObject({ kind: 'max-parallelism-changed', severity: 'error' });
      expect(report.findings[0]!.message).toContain('the snapshot was taken with 128');
    });
  });

  describe('Flink version', () => {
    it('refuses a JAR built against another Flink line than the target runtime, naming both', () => {
      const report = compareStateCompatibility(
        baseline,
        table(baseline.operators, version('1.19.1')),
        target,
      );
      expect(report.findings).toHaveLength(1);
      expect(report.findings[0]).toMatchObject({
        kind: 'flink-version-mismatch',
        severity: 'error',
        acceptedBy: null,
      });
      expect(report.findings[0]!.message).toContain('Flink 1.19.1');
      expect(report.findings[0]!.message).toContain('FLINK-1_20 runs Flink 1.20');
      expect(report.findings[0]!.message).toContain('as declared in its pom.xml');
      const recorded = version('1.19.1');
      const exact = compareStateCompatibility(
        baseline,
        table(baseline.operators, { ...recorded, basis: 'build-metadata' }),
        target,
      );
      expect(exact.findings[0]!.message).not.toContain('pom.xml');
    });

    it('accepts any patch release of the target line, and checks 2.x runtimes too', () => {
      expect(
        compareStateCompatibility(baseline, table(baseline.operators, version('1.20.3')), target).findings,
      ).toEqual([]);
      const onTwo = compareStateCompatibility(baseline, table(baseline.operators, version('1.20.0')), {
        targetRuntime: 'FLINK-2_2',
      });
      expect(onTwo.findings[0]!.message).toContain('FLINK-2_2 runs Flink 2.2');
    });

    it('warns when the version cannot be told, listing ambiguous evidence', () => {
      const unknown = compareStateCompatibility(
        baseline,
        table(baseline.operators, version('unknown', null)),
        target,
      );
      expect(unknown.findings[0]).toMatchObject({ kind: 'flink-version-unknown', severity: 'warning' });
      const ambiguous: JarFlinkVersion = {
        version: 'unknown',
        line: null,
        source: null,
        ambiguous: true,
        basis: null,
        evidence: [
          { source: 'pom profile flink-1.20', version: '1.20.0', line: '1.20' },
          { source: 'pom', version: '1.19.1', line: '1.19' },
        ],
      };
      const report = compareStateCompatibility(baseline, table(baseline.operators, ambiguous), target);
      expect(report.findings[0]!.message).toContain('1.20.0 (pom profile flink-1.20), 1.19.1 (pom)');
      expect(blockingFindings(report, {})).toEqual([]);
    });
  });

  describe('with the snapshot', () => {
    it('ignores operators the static analysis suspects but the snapshot shows empty', () => {
      const keyed = op('dedupe', { keyed: true, state: 'maybe' });
      const snapshot = snapshotOf([
        [source.operatorId, {}],
        [keyed.operatorId, { hasState: false, subtasksWithState: 0 }],
      ]);
      const report = compareStateCompatibility(table([source, keyed]), table([source]), {
        ...target,
        snapshot,
      });
      expect(report.findings).toEqual([]);
      expect(report.basedOnSnapshot).toBe(true);
    });

    it('reports state the deployed JAR does not explain by OperatorID, or by the name Flink 2 recorded', () => {
      const stray = operatorIdFromUid('from-an-older-version');
      const named = operatorIdFromUid('named-in-metadata');
      const snapshot = snapshotOf([
        [stray, {}],
        [named, { name: 'old-window', uid: 'named-in-metadata' }],
      ]);
      const report = compareStateCompatibility(table([source]), table([source]), { ...target, snapshot });
      expect(report.findings.map((f) => f.kind)).toEqual([
        'stateful-operator-removed',
        'stateful-operator-removed',
      ]);
      const messages = report.findings.map((f) => f.message).join('\n');
      expect(messages).toContain(`state stored under OperatorID ${stray}`);
      expect(messages).toContain('stateful operator old-window removed');
    });

    it('counts coordinator-only state (a source enumerator) as state', () => {
      const snapshot = snapshotOf([[source.operatorId, { subtasksWithState: 0, coordinatorState: true }]]);
      const report = compareStateCompatibility(table([source]), table([]), { ...target, snapshot });
      expect(report.findings[0]!.kind).toBe('stateful-operator-removed');
    });
  });

  describe('blockingFindings', () => {
    const removedAndRenamed = compareStateCompatibility(
      baseline,
      table([source, mapper, { ...sink, uid: 'sink-v2', operatorId: operatorIdFromUid('sink-v2') }]),
      target,
    );

    it('lets each override accept only its own kind of finding', () => {
      expect(removedAndRenamed.findings.map((f) => f.kind)).toEqual([
        'stateful-operator-removed',
        'state-not-restored',
      ]);
      expect(blockingFindings(removedAndRenamed, {}).length).toBe(2);
      expect(blockingFindings(removedAndRenamed, { allowNonRestoredState: true }).map((f) => f.kind)).toEqual(
        ['state-not-restored'],
      );
      expect(blockingFindings(removedAndRenamed, { acceptStateLoss: true }).map((f) => f.kind)).toEqual([
        'stateful-operator-removed',
      ]);
      expect(
        blockingFindings(removedAndRenamed, { allowNonRestoredState: true, acceptStateLoss: true }),
      ).toEqual([]);
    });

    it('never lets an override accept a Flink version mismatch', () => {
      const report = compareStateCompatibility(
        baseline,
        table(baseline.operators, version('1.19.1')),
        target,
      );
      expect(blockingFindings(report, { allowNonRestoredState: true, acceptStateLoss: true })).toHaveLength(
        1,
      );
    });
  });
});

function snapshotOf(entries: Array<[string, Partial<SnapshotState['operators'][number]>]>): SnapshotState {
  return {
    path: 'file:/tmp/savepoint-1',
    checkpointId: 7,
    operators: entries.map(([operatorId, overrides]) => ({
      operatorId,
      hasState: true,
      coordinatorState: false,
      subtasksWithState: 1,
      parallelism: 1,
      maxParallelism: 128,
      name: null,
      uid: null,
      ...overrides,
    })),
  };
}
