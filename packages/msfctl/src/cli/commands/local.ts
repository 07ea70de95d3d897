/** `msfctl local up|down|status`: the local MSF (msf-local) on this machine. */
import type { Command } from 'commander';
import { resolveTarget } from '../../adapters/targets/target.js';
import {
  localDown,
  localStatus,
  localUp,
  type LocalRuntime,
} from '../../adapters/targets/local/msf-local-process.js';
import { runningMsfLocals } from '../../adapters/targets/local/running-instances.js';
import { loadSpecFrom, type GlobalOptions } from './context.js';
import { MsfctlError } from '../../model/errors.js';
import { runCommand } from './run.js';

interface LocalOptions extends GlobalOptions {
  port?: number;
  dataDir?: string;
}

function port(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n < 1 || n > 65535)
    throw new MsfctlError('USAGE', `--port must be a TCP port, 1 to 65535 (got ${value}).`);
  return n;
}

/** Port and data dir: flags, then the spec's local target, then the defaults (4577, ~/.msf-local). */
async function runtimeFor(options: LocalOptions): Promise<LocalRuntime> {
  const { findSpecFile } = await import('../../spec/load.js');
  const spec =
    options.file?.length || findSpecFile(process.cwd())
      ? (await loadSpecFrom(options)).spec.target
      : undefined;
  const base = resolveTarget(
    {
      ...(spec?.kind === 'local' ? spec : { kind: 'local' as const }),
      ...(options.port ? { port: options.port } : {}),
      ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    },
    {},
  );
  return { port: base.local!.port, dataDir: base.local!.dataDir, endpoint: base.endpoint! };
}

export function registerLocal(program: Command): void {
  const local = program
    .command('local')
    .description('manage msf-local, the local Managed Service for Apache Flink');
  const common = (c: Command) =>
    c
      .option('--port <port>', 'port (default 4577)', port)
      .option('--data-dir <dir>', 'data directory (default ~/.msf-local)');

  common(
    local.command('up').description('start msf-local in the background (nothing happens if it already runs)'),
  ).action(async (_o, cmd: Command) => {
    const options = cmd.optsWithGlobals<LocalOptions>();
    await runCommand(options, async (host) => {
      const status = await localUp(await runtimeFor(options), host);
      host.result(
        status.started
          ? ''
          : `msf-local already answers on ${status.endpoint}${status.pid ? ` (PID ${status.pid})` : ''}.`,
        status,
      );
    });
  });

  common(
    local.command('down').description('stop the msf-local msfctl started (and its Flink clusters)'),
  ).action(async (_o, cmd: Command) => {
    const options = cmd.optsWithGlobals<LocalOptions>();
    await runCommand(options, async (host) => {
      const result = await localDown(await runtimeFor(options), host);
      host.result(result.stopped ? '' : 'msf-local is not running.', result);
    });
  });

  common(
    local.command('status').description('is msf-local running, where, with how many applications'),
  ).action(async (_o, cmd: Command) => {
    const options = cmd.optsWithGlobals<LocalOptions>();
    await runCommand(options, async (host) => {
      const status = await localStatus(await runtimeFor(options));
      const running = runningMsfLocals();
      const s = host.style;
      const text = status.answering
        ? `${s.green('●')} msf-local answers on ${status.endpoint} — ${status.applications} application${status.applications === 1 ? '' : 's'}${status.pid ? `, PID ${status.pid} (started by msfctl)` : ' (not started by msfctl)'}\n  data: ${status.dataDir}\n  log:  ${status.logFile}`
        : `${s.dim('○')} msf-local is not running on ${status.endpoint}. \`msfctl local up\` starts it.`;
      // Everything that runs here, not only the one this spec or these flags name (another port, another data dir).
      const others = running.length
        ? `\nmsf-local processes on this machine:\n${running.map((r) => `  PID ${r.pid}  http://127.0.0.1:${r.port}  data ${r.dataDir}`).join('\n')}`
        : '';
      host.result(text + others, { ...status, running });
      return status.answering ? 0 : 3;
    });
  });
}
