/** The deploy rehearsal in a plan, for people: what was restored, how long it took, checkpoints, the verdict. */
import { formatDuration } from '../../model/duration.js';
import type { Plan } from '../../model/plan.js';
import type { RehearsalReport } from '../../model/rehearsal.js';
import type { Style } from '../../ports/io-host.js';

export function rehearsalLines(plan: Plan, s: Style): string[] {
  const report = plan.preflight?.rehearsal as RehearsalReport | undefined;
  if (!report) return [];
  const title = s.bold('Rehearsal');
  if (!report.rehearsed) return ['', `${title}: ${s.dim(`not run: ${report.note ?? 'not needed'}`)}`];
  const state = report.state!;
  const size =
    state.sizeBytes !== undefined ? ` (${state.sizeBytes} bytes in ${state.files ?? '?'} files)` : '';
  const fetched = state.fetchMs !== undefined ? `, fetched in ${formatDuration(state.fetchMs)}` : '';
  const t = report.timings ?? {};
  const steps = (
    [
      ['sandbox', t.clusterBootMs],
      ['submit', t.submitMs],
      ['restore', t.restoreMs],
      ['window', t.windowMs],
    ] as const
  )
    .filter(([, ms]) => ms !== undefined)
    .map(([name, ms]) => `${name} ${formatDuration(ms!)}`)
    .join(', ');
  const out = [
    '',
    `${title}: ${report.passed ? s.green('passed') : s.red('failed')} ${s.dim(`(${formatDuration(report.durationMs ?? 0)}${steps ? `: ${steps}` : ''})`)}`,
    `  restored ${state.source === 'fresh' ? 'a fresh snapshot' : 'snapshot'} ${state.snapshot}${size}${fetched}${state.exportedTo ? `, exported to ${state.exportedTo}` : ''}`,
    `  into the new job on Flink ${report.flinkVersion} (${report.runtime}), parallelism ${report.parallelism}, AllowNonRestoredState ${report.allowNonRestoredState}`,
    `  ${report.checkpointsCompleted} checkpoint${report.checkpointsCompleted === 1 ? '' : 's'} completed, ${report.restarts} restart${report.restarts === 1 ? '' : 's'}, window ${report.windowSeconds}s`,
  ];
  const f = report.failure;
  if (f) {
    const op = f.operator;
    const where = op
      ? [op.uid && `uid ${op.uid}`, op.name && `name ${op.name}`, op.operatorId && `id ${op.operatorId}`]
          .filter(Boolean)
          .join(', ')
      : 'the job';
    out.push(`  ${s.red('✗')} ${f.kind} during ${f.phase}, at ${where}: ${f.message}`);
    if (f.rootCause) out.push(`    ${s.dim(`Flink: ${f.rootCause.split(' StackTrace: ')[0]}`)}`);
  }
  if (report.blockedConnections?.length)
    out.push(`  ${s.yellow('!')} refused outside connections: ${report.blockedConnections.join(', ')}`);
  if (report.cleanedUp?.length) out.push(`  ${s.dim(`removed afterwards: ${report.cleanedUp.join('; ')}`)}`);
  return out;
}
