/**
 * `msfctl logs [APP] [--follow] [--since 10m] [--level WARN]`: the job's log records from the CloudWatch Logs
 * stream of the application's logging option, on AWS and msf-local alike. --follow polls until Ctrl-C; --json
 * writes one record per line.
 */
import { Option, type Command } from 'commander';
import { MsfctlError } from '../../model/errors.js';
import { formatDuration, parseDuration } from '../../model/duration.js';
import { logStreamOf, readLogs } from '../../controller/queries/logs.js';
import { logRecordJson, renderLogRecord } from '../views/log-view.js';
import type { GlobalOptions } from './context.js';
import { forApplication, runWithContext } from './run.js';

interface LogsOptions extends GlobalOptions {
  follow?: boolean;
  since: number;
  level?: string;
}

function duration(name: string) {
  return (value: string): number => {
    const ms = parseDuration(value);
    if (ms === undefined || ms <= 0)
      throw new MsfctlError('USAGE', `${name} must be a duration such as 30s, 10m, 2h or 1d (got ${value}).`);
    return ms;
  };
}

export function registerLogs(program: Command): void {
  program
    .command('logs')
    .argument('[app]', "application (default: the spec's)")
    .description("the job's log records from the log stream of the application's CloudWatch logging option")
    .option('--follow', 'keep printing records as they arrive, until interrupted (Ctrl-C)')
    .option('--since <duration>', 'how far back to start (e.g. 30s, 10m, 2h)', duration('--since'), 600_000)
    .addOption(
      new Option('--level <level>', 'only records at this level or more severe').choices([
        'DEBUG',
        'INFO',
        'WARN',
        'ERROR',
      ]),
    )
    .action(async (app: string | undefined, _o, cmd: Command) => {
      const options = cmd.optsWithGlobals<LogsOptions>();
      await runWithContext(options, forApplication(app), async (ctx, host) => {
        const { stream, level } = await logStreamOf(ctx.gateway, ctx.application);
        host.notify({
          level: 'info',
          code: 'MSF_LOGS_STREAM',
          text: `${ctx.application}: log stream ${stream.stream} in ${stream.group}, shipped at ${level} and above${options.follow ? ' (following; Ctrl-C stops)' : ''}`,
        });
        const abort = new AbortController();
        const stop = () => abort.abort();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
        try {
          const outcome = await readLogs({
            reader: ctx.ports.logs,
            stream,
            since: Date.now() - options.since,
            ...(options.level ? { level: options.level } : {}),
            follow: options.follow === true,
            signal: abort.signal,
            onRecord: (record) => {
              if (host.json) process.stdout.write(`${JSON.stringify(logRecordJson(record))}\n`);
              else host.result(renderLogRecord(record, host.style), undefined);
            },
          });
          if (outcome.records === 0 && !outcome.interrupted)
            host.notify({
              level: 'info',
              code: 'MSF_LOGS_NONE',
              text: `No records${options.level ? ` at ${options.level} or above` : ''} in the last ${formatDuration(options.since)} (--since reaches further back; the application's log level, ${level}, is set by logging.level).`,
            });
        } finally {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
        }
      });
    });
}
