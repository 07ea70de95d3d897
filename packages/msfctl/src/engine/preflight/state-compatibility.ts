/**
 * Would the candidate JAR restore the deployed application's state? A pure comparison of two inspections (and,
 * when available, of what the newest snapshot actually holds), following Flink's own restore rules:
 *
 * - State is stored under the OperatorID Flink generated for the operator (from its uid, else from the
 *   topology). A new job takes it if one of its operators has that id as its generated or its user-defined
 *   (setUidHash) OperatorID.
 * - State with no taker fails the restore ("Cannot map checkpoint/savepoint state … to the new program")
 *   unless AllowNonRestoredState is set, which drops it.
 * - A matched operator whose max parallelism differs from the snapshot's fails the restore when the new job
 *   sets max parallelism explicitly (unset, Flink adopts the snapshot's).
 */
import { flinkLineOfRuntime } from 'msf-flink-runtime';
import type { InspectedOperator, JarFlinkVersion, SnapshotState } from '../../model/inspection.js';

export type StateFindingKind =
  | 'stateful-operator-removed'
  | 'state-not-restored'
  | 'max-parallelism-changed'
  | 'flink-version-mismatch'
  | 'flink-version-unknown';

/** The spec setting / CLI flag that lets a deploy go ahead despite a finding; null: nothing does. */
export type StateOverride = 'allowNonRestoredState' | 'acceptStateLoss';

export interface OperatorRef {
  name: string | null;
  uid: string | null;
  operatorId: string;
}

export interface StateFinding {
  kind: StateFindingKind;
  /** error: refuse unless `acceptedBy` is given; warning: report only. */
  severity: 'error' | 'warning';
  /** The deployed operator (or snapshot entry) concerned. */
  operator: OperatorRef | null;
  /** For a renamed or re-hashed operator: the candidate operator that will start empty in its place. */
  replacement: OperatorRef | null;
  message: string;
  acceptedBy: StateOverride | null;
  /** Flink refuses the restore for this unless the update sets AllowNonRestoredState. */
  requiresAllowNonRestoredState: boolean;
}

export interface StateCompatibilityReport {
  findings: StateFinding[];
  /** The update must carry AllowNonRestoredState=true to restore at all. */
  requiresAllowNonRestoredState: boolean;
  /** Stateful operators whose state the candidate takes over. */
  restored: Array<{ deployed: OperatorRef; candidate: OperatorRef }>;
  /** Whether the snapshot's contents (rather than static analysis) decided which operators hold state. */
  basedOnSnapshot: boolean;
}

/** The operator tables compareStateCompatibility needs (a JarInspection fits). */
export interface OperatorTable {
  flinkVersion?: JarFlinkVersion;
  operators: InspectedOperator[];
}

export interface StateCompatibilityOptions {
  /** The MSF runtime environment the candidate will run on, e.g. "FLINK-1_20". */
  targetRuntime: string;
  /** What the newest snapshot holds (savepoint reader); refines which operators really carry state. */
  snapshot?: SnapshotState;
}

interface StatefulEntry {
  operatorId: string;
  deployed: InspectedOperator | null;
  /** From the snapshot (exact), else the deployed graph (-1: not configured). */
  maxParallelism: number;
  maxParallelismFromSnapshot: boolean;
  certainty: 'stateful' | 'maybe';
  reasons: string[];
}

export function compareStateCompatibility(
  deployed: OperatorTable,
  candidate: OperatorTable,
  options: StateCompatibilityOptions,
): StateCompatibilityReport {
  const findings: StateFinding[] = [...versionFindings(candidate.flinkVersion, options.targetRuntime)];
  const restored: StateCompatibilityReport['restored'] = [];

  // Which candidate operator takes state stored under an id: user-defined ids win, as in Flink's assignment.
  const taker = new Map<string, InspectedOperator>();
  for (const op of candidate.operators) if (!taker.has(op.operatorId)) taker.set(op.operatorId, op);
  for (const op of candidate.operators) if (op.userDefinedOperatorId) taker.set(op.userDefinedOperatorId, op);

  const deployedIds = new Set(deployed.operators.map((op) => op.operatorId));
  // Candidate operators that take no deployed state: possible replacements for lost operators.
  const fresh = candidate.operators.filter(
    (op) =>
      !deployedIds.has(op.operatorId) &&
      !(op.userDefinedOperatorId && deployedIds.has(op.userDefinedOperatorId)),
  );
  const usedReplacements = new Set<InspectedOperator>();

  for (const entry of statefulEntries(deployed, options.snapshot)) {
    const target = taker.get(entry.operatorId);
    if (target) {
      restored.push({ deployed: refOf(entry), candidate: ref(target) });
      const maxFinding = maxParallelismFinding(entry, target);
      if (maxFinding) findings.push(maxFinding);
      continue;
    }
    const replacement = entry.deployed ? findReplacement(entry.deployed, fresh, usedReplacements) : undefined;
    if (replacement) {
      usedReplacements.add(replacement);
      findings.push(stateNotRestored(entry, entry.deployed!, replacement));
    } else {
      findings.push(removed(entry));
    }
  }

  return {
    findings,
    requiresAllowNonRestoredState: findings.some((f) => f.requiresAllowNonRestoredState),
    restored,
    basedOnSnapshot: options.snapshot !== undefined,
  };
}

/** The findings a deploy may not go ahead with, given the overrides in force. */
export function blockingFindings(
  report: StateCompatibilityReport,
  overrides: { allowNonRestoredState?: boolean; acceptStateLoss?: boolean },
): StateFinding[] {
  return report.findings.filter(
    (f) => f.severity === 'error' && !(f.acceptedBy !== null && overrides[f.acceptedBy] === true),
  );
}

function statefulEntries(deployed: OperatorTable, snapshot: SnapshotState | undefined): StatefulEntry[] {
  const byId = new Map(deployed.operators.map((op) => [op.operatorId, op]));
  if (snapshot) {
    return snapshot.operators
      .filter((s) => s.hasState)
      .map((s) => {
        const op = byId.get(s.operatorId) ?? null;
        return {
          operatorId: s.operatorId,
          deployed: op ?? snapshotOnlyOperator(s.operatorId, s.name, s.uid),
          maxParallelism: s.maxParallelism,
          maxParallelismFromSnapshot: true,
          certainty: 'stateful' as const,
          reasons: [
            s.coordinatorState
              ? 'coordinator state in the snapshot'
              : `state of ${s.subtasksWithState} subtask(s) in the snapshot`,
          ],
        };
      })
      .sort((a, b) => order(deployed, a.operatorId) - order(deployed, b.operatorId));
  }
  return deployed.operators
    .filter((op) => op.state !== 'stateless')
    .map((op) => ({
      operatorId: op.operatorId,
      deployed: op,
      maxParallelism: op.maxParallelism,
      maxParallelismFromSnapshot: false,
      certainty: op.state === 'stateful' ? ('stateful' as const) : ('maybe' as const),
      reasons: op.stateReasons,
    }));
}

function order(table: OperatorTable, operatorId: string): number {
  const index = table.operators.findIndex((op) => op.operatorId === operatorId);
  return index === -1 ? Number.MAX_SAFE_INTEGER : index;
}

/** A snapshot entry the deployed JAR's graph does not explain; Flink 2.x records its name and uid. */
function snapshotOnlyOperator(
  operatorId: string,
  name: string | null,
  uid: string | null,
): InspectedOperator | null {
  if (name === null && uid === null) return null;
  return {
    nodeId: -1,
    name: name ?? uid ?? operatorId,
    uid,
    userHash: null,
    operatorId,
    userDefinedOperatorId: null,
    vertexId: operatorId,
    vertexName: name ?? '',
    parallelism: -1,
    maxParallelism: -1,
    keyed: false,
    operatorClass: null,
    state: 'stateful',
    stateReasons: [],
  };
}

/**
 * The candidate operator that stands where a lost one stood: same name and same kind (keyed or not, same
 * operator class), taking no deployed state itself. Without one, the operator counts as removed.
 */
function findReplacement(
  lost: InspectedOperator,
  fresh: InspectedOperator[],
  used: Set<InspectedOperator>,
): InspectedOperator | undefined {
  return fresh.find(
    (op) =>
      !used.has(op) &&
      op.name === lost.name &&
      op.keyed === lost.keyed &&
      (lost.operatorClass === null || op.operatorClass === lost.operatorClass),
  );
}

function removed(entry: StatefulEntry): StateFinding {
  const op = entry.deployed;
  const subject = op
    ? entry.certainty === 'stateful'
      ? `stateful operator ${op.name}`
      : `operator ${op.name}, which may hold state (${entry.reasons.join('; ')}),`
    : `state stored under OperatorID ${entry.operatorId} (no operator of the deployed JAR has this id)`;
  const ids = op ? ` (${describeIds(op)})` : '';
  return {
    kind: 'stateful-operator-removed',
    severity: 'error',
    operator: refOf(entry),
    replacement: null,
    message: `${subject} removed${ids}: the new JAR has no operator to restore its state into, so that state will be dropped; the update needs AllowNonRestoredState`,
    acceptedBy: 'allowNonRestoredState',
    requiresAllowNonRestoredState: true,
  };
}

function stateNotRestored(
  entry: StatefulEntry,
  lost: InspectedOperator,
  replacement: InspectedOperator,
): StateFinding {
  let why: string;
  if (lost.uid !== null && replacement.uid !== null) {
    why = `its uid changed from "${lost.uid}" to "${replacement.uid}"`;
  } else if (lost.uid !== null) {
    why = `its uid "${lost.uid}" was removed, so its OperatorID is now generated from the topology`;
  } else if (replacement.uid !== null) {
    why = `it now has uid "${replacement.uid}" but its state was stored under an auto-generated OperatorID`;
  } else {
    why =
      'it has no uid and its auto-generated OperatorID changed with the topology (set .uid() to keep state across topology changes)';
  }
  return {
    kind: 'state-not-restored',
    severity: 'error',
    operator: refOf(entry),
    replacement: ref(replacement),
    message: `state of ${lost.name} will not be restored: ${why} (OperatorID ${lost.operatorId} → ${replacement.operatorId}); it starts empty and the old state is dropped`,
    acceptedBy: 'acceptStateLoss',
    requiresAllowNonRestoredState: true,
  };
}

function maxParallelismFinding(entry: StatefulEntry, target: InspectedOperator): StateFinding | null {
  const before = entry.maxParallelism;
  const after = target.maxParallelism;
  // Unset in the new job: Flink adopts the snapshot's max parallelism.
  if (after <= 0 || before === after) return null;
  const name = target.name;
  if (before <= 0) {
    return {
      kind: 'max-parallelism-changed',
      severity: 'warning',
      operator: refOf(entry),
      replacement: null,
      message: `max parallelism of ${name} is now set to ${after}, while the deployed job left it to Flink's default (128 for parallelism up to 85): if the snapshot was taken with a different value the restore fails`,
      acceptedBy: null,
      requiresAllowNonRestoredState: false,
    };
  }
  return {
    kind: 'max-parallelism-changed',
    severity: 'error',
    operator: refOf(entry),
    replacement: null,
    message: `max parallelism of ${name} changes from ${before} to ${after}${entry.maxParallelismFromSnapshot ? ' (the snapshot was taken with ' + before + ')' : ''}: Flink cannot restore its state with a different max parallelism; keep ${before}, or deploy without restoring state`,
    acceptedBy: null,
    requiresAllowNonRestoredState: false,
  };
}

function versionFindings(version: JarFlinkVersion | undefined, targetRuntime: string): StateFinding[] {
  if (!version) return [];
  const targetLine = flinkLineOfRuntime(targetRuntime);
  if (version.line === null) {
    const seen = [...new Set(version.evidence.map((e) => `${e.version} (${e.source})`))];
    return [
      {
        kind: 'flink-version-unknown',
        severity: 'warning',
        operator: null,
        replacement: null,
        message: version.ambiguous
          ? `cannot tell which Flink version the JAR was built against; its build names several: ${seen.join(', ')}`
          : `cannot tell which Flink version the JAR was built against (no Flink version recorded in it); the target runtime ${targetRuntime} runs Flink ${targetLine ?? '?'}`,
        acceptedBy: null,
        requiresAllowNonRestoredState: false,
      },
    ];
  }
  if (targetLine !== null && version.line !== targetLine) {
    return [
      {
        kind: 'flink-version-mismatch',
        severity: 'error',
        operator: null,
        replacement: null,
        message: `the JAR was built against Flink ${version.version}${version.basis === 'pom-declaration' ? ' (as declared in its pom.xml; a -Dflink.version override leaves no trace in the JAR, a Flink-Version manifest entry would)' : ''} but the target runtime ${targetRuntime} runs Flink ${targetLine}: build it against Flink ${targetLine}, or keep a runtime for Flink ${version.line}`,
        acceptedBy: null,
        requiresAllowNonRestoredState: false,
      },
    ];
  }
  return [];
}

function describeIds(op: InspectedOperator): string {
  return op.uid === null
    ? `no uid, OperatorID ${op.operatorId}`
    : `uid "${op.uid}", OperatorID ${op.operatorId}`;
}

function ref(op: InspectedOperator): OperatorRef {
  return { name: op.name, uid: op.uid, operatorId: op.operatorId };
}

function refOf(entry: StatefulEntry): OperatorRef {
  return entry.deployed ? ref(entry.deployed) : { name: null, uid: null, operatorId: entry.operatorId };
}
