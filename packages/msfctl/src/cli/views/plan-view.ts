/** Renders a plan for people: live state, drift, changes, ordered actions with their effects, findings. */
import { short } from '../../model/plan.js';
import { summarizeEffect } from '../../engine/effects.js';
import type { FieldChange } from '../../model/changes.js';
import { hasDrift } from '../../engine/drift.js';
import { refusals, type Plan } from '../../model/plan.js';
import { actionTitle } from '../../engine/action-title.js';
import { formatDuration } from '../../model/duration.js';
import type { Style } from '../../ports/io-host.js';
import { rehearsalLines } from './rehearsal-view.js';

export function renderPlan(plan: Plan, s: Style, targetText: string): string {
  const out: string[] = [];
  out.push(s.bold(`Plan for ${plan.application}`) + s.dim(` (${targetText})`));
  if (plan.live) {
    out.push(
      `  live: version ${plan.live.versionId}, ${s.status(plan.live.status)}, ${plan.live.runtime}, parallelism ${plan.live.parallelism} (${plan.live.kpus} KPU${plan.live.kpus === 1 ? '' : 's'} in use)`,
    );
  } else {
    out.push(`  live: ${s.yellow('does not exist yet')}`);
  }
  if (plan.artifact) {
    const a = plan.artifact;
    const from =
      a.source === 'maven'
        ? `built from ${a.localPath}`
        : a.source === 'jar'
          ? `from ${a.localPath}`
          : 'given as code.s3';
    out.push(`  JAR: ${short(a.sha256)} ${from} → s3://${a.bucket}/${a.key}`);
  }

  if (hasDrift(plan.drift) || plan.drift.notes.length) {
    out.push('', s.bold(s.magenta('Drift')) + s.dim(' (the service changed since msfctl last left it)'));
    const d = plan.drift;
    if (d.versions) out.push(`  version ${d.versions.expected} → ${d.versions.actual} outside msfctl`);
    if (d.status) out.push(`  status ${d.status.expected} → ${d.status.actual} outside msfctl`);
    for (const c of d.changes) out.push(`  ${s.magenta('~')} ${fieldLine(c, s)}`);
    for (const op of d.operations)
      out.push(
        `  ${op.operation} ${op.id} ${s.status(op.status)}${op.at ? ` at ${op.at}` : ''} (not run by msfctl)`,
      );
    for (const note of d.notes) out.push(`  ${s.dim(note)}`);
  }

  if (plan.changes.length) {
    out.push('', s.bold('Changes') + s.dim(' (service → spec)'));
    for (const c of plan.changes) {
      if (c.field === 'code') {
        const before = plan.deployedArtifact?.sha256
          ? `${short(plan.deployedArtifact.sha256)} (${c.before})`
          : c.before;
        const after = plan.artifact?.sha256 ? `${short(plan.artifact.sha256)} (${c.after})` : c.after;
        out.push(`  ${s.yellow('~')} code: ${before} → ${after}`);
      } else out.push(`  ${s.yellow('~')} ${fieldLine(c, s)}`);
    }
  }

  if (plan.actions.length) {
    out.push('', s.bold('Actions'));
    plan.actions.forEach((a, i) => {
      out.push(`  ${i + 1}. ${s.bold(actionTitle(a))}`);
      if (a.effect) out.push(`     ${summarizeEffect(a.effect).join(' · ')}`);
    });
  }

  const guarded = plan.actions.some((a) => a.type === 'start' || (a.type === 'update' && a.run));
  if (guarded && plan.deploy) {
    const d = plan.deploy;
    const watch =
      d.bakeSeconds > 0
        ? `watch health for ${formatDuration(d.bakeSeconds * 1000)} once the job runs`
        : 'no health watch (bake 0)';
    const policy = {
      rollback: 'roll back to the last good version',
      stop: 'stop the application',
      none: 'leave it as it is',
    }[d.onFailure];
    out.push(
      '',
      `${s.bold('Safe deploy')}: ${watch}; on a failed operation or a crash loop, ${policy} (onFailure: ${d.onFailure})`,
    );
  }

  out.push(...rehearsalLines(plan, s));

  if (plan.findings.length) {
    out.push('', s.bold('Findings'));
    for (const f of plan.findings) {
      const mark =
        f.severity === 'refusal' ? s.red('✗') : f.severity === 'warning' ? s.yellow('!') : s.cyan('i');
      out.push(`  ${mark} ${f.message}`);
      if (f.hint) out.push(`    ${s.dim(f.hint)}`);
    }
  }

  out.push('', planSummary(plan, s));
  return out.join('\n');
}

function fieldLine(c: FieldChange, s: Style): string {
  const show = (v: string | undefined) => (v === undefined ? s.dim('(absent)') : v);
  return `${c.field}: ${show(c.before)} → ${show(c.after)}${c.oneWay ? s.yellow(' (one-way: cannot be undone)') : ''}`;
}

export function planSummary(plan: Plan, s: Style): string {
  const blocked = refusals(plan);
  if (blocked.length)
    return s.red(
      `Plan refused: ${blocked.length} finding${blocked.length === 1 ? '' : 's'} above must be resolved first.`,
    );
  if (!plan.actions.length) return s.green(`No changes: ${plan.application} matches the spec.`);
  const counts = new Map<string, number>();
  for (const a of plan.actions) counts.set(a.type, (counts.get(a.type) ?? 0) + 1);
  const parts = [...counts].map(([t, n]) => `${n} ${t}`).join(', ');
  return `Plan: ${plan.actions.length} action${plan.actions.length === 1 ? '' : 's'} (${parts}).`;
}
