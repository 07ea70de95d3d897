/** The controller context, the default restore settings and the result view the lifecycle commands share. */
import { processInterrupts } from '../../adapters/io/process-interrupts.js';
import type { RunContext } from '../../controller/context.js';
import type { RunResult } from '../../controller/pipeline.js';
import type { RestoreSettings } from '../../model/application.js';
import { deploySettings } from '../../model/deploy-settings.js';
import type { IoHost } from '../../ports/io-host.js';
import { renderActions, renderLifecycleOutcome } from '../views/views.js';
import type { CommandContext } from './context.js';
import { deployFlags, type DeployFlagOptions } from './deploy-flags.js';

/**
 * The controller's context for one command: the target's ports, the state store, the host, process signals,
 * and — for the commands that (re)start the job — the watch settings (flags over the spec's deploy block).
 */
export function runContext(ctx: CommandContext, flags?: DeployFlagOptions): RunContext {
  return {
    application: ctx.application,
    gateway: ctx.gateway,
    host: ctx.host,
    state: ctx.state,
    interrupts: processInterrupts(),
    metrics: ctx.ports.metrics,
    exceptions: ctx.ports.exceptions,
    exporter: ctx.ports.target.snapshotExporter,
    deploy: deploySettings(deployFlags(flags ?? {}), ctx.spec?.spec.deploy),
  };
}

/** The spec's restore settings when there is a spec, else "latest". */
export function specRestore(ctx: CommandContext): RestoreSettings {
  const r = ctx.spec?.spec.restore;
  return r
    ? {
        from: r.from,
        ...(r.snapshot ? { snapshot: r.snapshot } : {}),
        allowNonRestoredState: r.allowNonRestoredState,
      }
    : { from: 'latest', allowNonRestoredState: false };
}

/**
 * Prints the outcome and returns the exit code; a failed operation's ErrorString is in the message. A failure
 * goes to stderr as one error line (with the status the application was left in) and its hint; the actions'
 * planned effects are not repeated then, since they did not all happen.
 */
export function finish(
  host: IoHost,
  result: RunResult,
  success: string,
  note?: string,
  /**
   * actionsShown: the actions were listed before they ran (destroy asks first): do not list them again.
   * json: more of the command's own result for `--json`.
   */
  options: { actionsShown?: boolean; json?: Record<string, unknown> } = {},
): number {
  const human = result.ok
    ? [
        result.nothing || options.actionsShown ? '' : renderActions(result, host.style),
        renderLifecycleOutcome(result, host.style, success),
        note ? host.style.dim(note) : '',
      ]
        .filter(Boolean)
        .join('\n')
    : '';
  host.result(human, {
    ok: result.ok,
    application: result.application,
    ...(result.nothing ? { nothing: result.nothing } : {}),
    actions: result.actions,
    status: result.live?.status ?? null,
    versionId: result.live?.versionId ?? null,
    operations: result.execution?.operations ?? [],
    ...(result.watch !== undefined ? { health: result.watch } : {}),
    ...options.json,
    ...(result.error ? { error: result.error.toJSON() } : {}),
  });
  if (!result.ok && !host.json) {
    const left = result.live
      ? ` (${result.application} is ${result.live.status}, version ${result.live.versionId})`
      : '';
    host.notify({
      level: 'error',
      code: `MSF_${result.error?.code ?? 'OPERATION_FAILED'}`,
      text: `${result.application}: ${result.error?.message ?? 'failed'}${left}`,
    });
    if (result.error?.hint) host.notify({ level: 'hint', code: 'MSF_HINT', text: result.error.hint });
  }
  return result.ok ? 0 : 1;
}
