/**
 * plan, apply, status and health over a fleet (-f DIR, -f 'glob', -f repeated): every application through the
 * same controller code as one-spec runs (makePlan, apply's pipeline with its per-application lock, getStatus,
 * checkHealth), at most --parallelism at a time, each isolated; one summary table (or one --json document) and
 * one exit code over all of them.
 */
import { processInterrupts } from '../../adapters/io/process-interrupts.js';
import { apply } from '../../controller/apply.js';
import type { RunContext } from '../../controller/context.js';
import { DEFAULT_FLEET_PARALLELISM, runFleet } from '../../controller/fleet.js';
import { checkHealth } from '../../controller/health/health-check.js';
import { makePlan } from '../../controller/make-plan.js';
import { defaultPlanChecks } from '../../controller/preflight/checks.js';
import { rehearsalSettings } from '../../model/rehearsal.js';
import { planCheckPorts } from './check-ports.js';
import { getStatus } from '../../controller/queries/status.js';
import { readLedger } from '../../controller/state/ledger-store.js';
import { readLock } from '../../controller/state/lock.js';
import { actionTitle } from '../../engine/action-title.js';
import { currentJobBaseline } from '../../engine/health/current-job.js';
import { hasDrift } from '../../engine/drift.js';
import { deploySettings } from '../../model/deploy-settings.js';
import { MsfctlError } from '../../model/errors.js';
import { hasChanges, refusals, type Plan } from '../../model/plan.js';
import type { IoHost } from '../../ports/io-host.js';
import { renderFleet, type FleetRow } from '../views/fleet-view.js';
import type { GlobalOptions } from './context.js';
import { deployFlags, type DeployFlagOptions } from './deploy-flags.js';
import type { FleetMember } from './fleet-context.js';

export type FleetVerb = 'plan' | 'apply' | 'status' | 'health';

export interface FleetOptions extends GlobalOptions, DeployFlagOptions {
  parallelism?: number;
  detailedExitcode?: boolean;
  autoApprove?: boolean;
  kpuQuota?: number;
  window?: number;
}

type Row = Omit<FleetRow, 'file' | 'application'>;

export async function runFleetCommand(verb: FleetVerb, options: FleetOptions, host: IoHost): Promise<number> {
  if (options.tfvars)
    throw new MsfctlError('USAGE', '--tfvars names one application; a fleet is specs (-f).');
  // Imported on use (SDK clients, spec sets): start-up stays light for every other command.
  const { openFleet } = await import('./fleet-context.js');
  const fleet = openFleet(options, host, new Map(), { readOnly: verb === 'status' || verb === 'health' });
  const parallelism = options.parallelism ?? DEFAULT_FLEET_PARALLELISM;
  try {
    if (!fleet.set.members.length)
      throw new MsfctlError('SPEC_NOT_FOUND', `No spec files in ${(options.file ?? []).join(', ')}.`);
    let work = (m: FleetMember) => rowOf(verb, m, options);
    if (verb === 'apply' && !options.autoApprove) {
      // Ask once for the whole fleet, then apply exactly the plans shown (each refused if its application moved).
      const plans = await planAll(fleet.members, options, parallelism);
      const pending = plans.filter((o) => o.ok && o.value.plan && hasChanges(o.value.plan));
      host.notify({
        level: 'info',
        code: 'MSF_FLEET_I1000',
        text: renderFleet('plan', rowsOf(plans), host.style),
      });
      const n = pending.length;
      if (n && !(await host.confirm(`Apply the plans of ${n} application${n === 1 ? '' : 's'}?`)))
        throw new MsfctlError('ABORTED', 'Apply cancelled: nothing was changed.');
      const saved = new Map(plans.flatMap((o) => (o.ok && o.value.plan ? [[o.member, o.value.plan]] : [])));
      work = (m) => applyOne(m, options, saved.get(m));
    }
    const outcomes = await runFleet(fleet.members, work, { parallelism });
    const rows = [
      ...fleet.set.errors.map((e) => ({
        file: e.file,
        application: '',
        result: 'error',
        ok: false,
        error: e.error,
      })),
      ...rowsOf(outcomes),
    ].sort((a, b) => a.file.localeCompare(b.file));
    host.result(renderFleet(verb, rows, host.style), fleetJson(verb, rows, parallelism));
    return exitCode(verb, rows, options.detailedExitcode ?? false);
  } finally {
    fleet.close();
  }
}

function rowsOf(outcomes: Awaited<ReturnType<typeof runFleet<FleetMember, Row>>>): FleetRow[] {
  return outcomes.map((o) => ({
    file: o.member.file,
    application: o.member.application,
    ...(o.ok ? o.value : { result: 'error', ok: false, error: o.error }),
  }));
}

function planAll(members: FleetMember[], options: FleetOptions, parallelism: number) {
  return runFleet(members, (m) => planOne(m, options), { parallelism });
}

function rowOf(verb: FleetVerb, m: FleetMember, options: FleetOptions): Promise<Row> {
  switch (verb) {
    case 'plan':
      return planOne(m, options);
    case 'apply':
      return applyOne(m, options, undefined);
    case 'status':
      return statusOne(m);
    case 'health':
      return healthOne(m, options);
  }
}

async function planOne(m: FleetMember, options: FleetOptions): Promise<Row & { plan?: Plan }> {
  const { ports, state } = await m.open();
  const { ledger } = await readLedger(state, m.application);
  const { plan } = await makePlan({
    spec: m.spec,
    ledger,
    gateway: ports.gateway,
    host: m.host,
    target: await ports.target.planTarget(),
    ...(options.kpuQuota !== undefined ? { kpuQuota: options.kpuQuota } : {}),
    checks: defaultPlanChecks(rehearsalSettings(options.rehearse, m.spec.spec.deploy)),
    flags: options as Record<string, unknown>,
    deploy: deploySettings(deployFlags(options), m.spec.spec.deploy),
    ...planCheckPorts(ports),
  });
  const blocked = refusals(plan);
  const drift = hasDrift(plan.drift) ? ' (drift)' : '';
  if (blocked.length)
    return {
      result: 'refused',
      ok: false,
      summary: blocked.map((f) => f.message).join('; '),
      detail: { plan },
      plan,
    };
  if (!hasChanges(plan))
    return { result: 'no changes', ok: true, summary: `matches the spec${drift}`, detail: { plan }, plan };
  return {
    result: 'changes',
    ok: true,
    changed: true,
    summary: plan.actions.map(actionTitle).join('; ') + drift,
    detail: { plan },
    plan,
  };
}

async function applyOne(m: FleetMember, options: FleetOptions, savedPlan: Plan | undefined): Promise<Row> {
  const { ports, state } = await m.open();
  const deploy = deploySettings(deployFlags(options), m.spec.spec.deploy, savedPlan?.deploy);
  const ctx: RunContext = {
    application: m.application,
    gateway: ports.gateway,
    host: m.host,
    state,
    interrupts: processInterrupts(),
    metrics: ports.metrics,
    exceptions: ports.exceptions,
    exporter: ports.target.snapshotExporter,
    deploy,
  };
  const result = await apply(ctx, {
    spec: m.spec,
    ...(savedPlan ? { savedPlan } : {}),
    target: await ports.target.planTarget(),
    autoApprove: true,
    createBucket: ports.target.createsBuckets,
    ...(options.kpuQuota !== undefined ? { kpuQuota: options.kpuQuota } : {}),
    checks: defaultPlanChecks(rehearsalSettings(options.rehearse, m.spec.spec.deploy)),
    flags: options as Record<string, unknown>,
    deploy,
    ...planCheckPorts(ports),
  });
  // With nothing to do, the run changed nothing: the application is where the plan found it.
  const basis = result.plan.basis;
  const live = result.live ?? (!result.changed && basis.exists ? basis : undefined);
  const where = live ? `${live.status} at version ${live.versionId}` : 'gone';
  const detail = {
    status: live?.status ?? null,
    versionId: live?.versionId ?? null,
    uploaded: result.uploaded,
    operations: result.execution?.operations ?? [],
  };
  if (!result.ok)
    return {
      result: 'failed',
      ok: false,
      changed: result.changed,
      summary: where,
      detail,
      ...(result.error ? { error: result.error } : {}),
    };
  return {
    result: result.changed ? 'applied' : 'unchanged',
    ok: true,
    changed: result.changed,
    summary: result.changed ? `${result.actions.map((a) => a.type).join(' + ')} → ${where}` : where,
    detail,
  };
}

async function statusOne(m: FleetMember): Promise<Row> {
  const { ports, state } = await m.open();
  const [{ ledger }, lock] = await Promise.all([
    readLedger(state, m.application),
    readLock(state, m.application),
  ]);
  const report = await getStatus(ports.gateway, m.application, ledger, lock);
  if (!report.exists) return { result: 'missing', ok: false, summary: 'does not exist', detail: report };
  const drift = report.drift ? ', drift' : '';
  const locked = report.lock ? `, locked (${report.lock.state})` : '';
  return {
    result: report.status ?? '?',
    ok: true,
    summary: `version ${report.versionId}, ${report.parallelism?.kpus ?? 0} KPU, ${report.snapshots?.count ?? 0} snapshots${drift}${locked}`,
    detail: report,
  };
}

async function healthOne(m: FleetMember, options: FleetOptions): Promise<Row> {
  const { ports } = await m.open();
  const check = await checkHealth({
    application: m.application,
    fetcher: ports.metrics,
    exceptions: ports.exceptions,
    status: async (name) => (await ports.gateway.describe(name))?.status ?? 'MISSING',
    ...(options.window !== undefined ? { windowSeconds: options.window } : {}),
    baseline: async (now, windowMs) =>
      currentJobBaseline(
        await ports.gateway.listOperations(m.application, 10).catch(() => []),
        now,
        windowMs,
      ),
  });
  return {
    result: check.result.status,
    ok: check.result.status !== 'unhealthy',
    summary: check.result.reason,
    detail: check,
  };
}

/** plan: 1 any error or refusal, else 2 any change (--detailed-exitcode); health: 1 unhealthy, 2 unknown. */
export function exitCode(verb: FleetVerb, rows: readonly FleetRow[], detailed: boolean): number {
  if (rows.some((r) => !r.ok)) return 1;
  if (verb === 'plan' && detailed && rows.some((r) => r.changed)) return 2;
  if (verb === 'health' && rows.some((r) => r.result === 'unknown')) return 2;
  return 0;
}

function fleetJson(verb: FleetVerb, rows: readonly FleetRow[], parallelism: number): unknown {
  const count = (result: string) => rows.filter((r) => r.result === result).length;
  const results = [...new Set(rows.map((r) => r.result))];
  return {
    ok: rows.every((r) => r.ok),
    command: verb,
    parallelism,
    counts: Object.fromEntries(results.map((r) => [r, count(r)])),
    applications: rows.map((r) => ({
      application: r.application || null,
      file: r.file,
      result: r.result,
      ok: r.ok,
      changed: r.changed ?? false,
      ...(r.summary ? { summary: r.summary } : {}),
      ...(r.detail !== undefined ? { [verb === 'plan' ? 'plan' : 'detail']: planOrDetail(r.detail) } : {}),
      ...(r.error ? { error: r.error.toJSON() } : {}),
    })),
  };
}

function planOrDetail(detail: unknown): unknown {
  return typeof detail === 'object' && detail !== null && 'plan' in detail
    ? (detail as { plan: unknown }).plan
    : detail;
}
