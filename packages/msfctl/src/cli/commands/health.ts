/**
 * `msfctl health [APP] [--watch]`: the bake watch's detector on demand, over the application's recent
 * CloudWatch metrics, with the evidence (metric values, and the job's latest exception where the target offers
 * one). Exit 0 healthy, 1 unhealthy, 2 not known (not running, no datapoints yet, metrics unreadable).
 */
import type { Command } from 'commander';
import { MsfctlError } from '../../model/errors.js';
import { checkHealth, watchHealth, type HealthCheckOptions } from '../../controller/health/health-check.js';
import { type HealthCheck } from '../../model/health.js';
import { currentJobBaseline } from '../../engine/health/current-job.js';
import { healthCheckMessages } from '../../engine/health/messages.js';
import type { IoHost } from '../../ports/io-host.js';
import { formatDuration, parseDuration } from '../../model/duration.js';
import { isFleet, type GlobalOptions } from './context.js';
import { positiveInt, runCommand, runWithContext, readingApplication } from './run.js';
import { runFleetCommand } from './fleet.js';

interface HealthOptions extends GlobalOptions {
  watch?: boolean;
  interval?: number;
  window?: number;
  parallelism?: number;
}

const EXIT = { healthy: 0, unhealthy: 1, unknown: 2 } as const;

function seconds(name: string) {
  return (value: string): number => {
    const ms = parseDuration(value) ?? (/^\d+$/.test(value) ? Number(value) * 1000 : undefined);
    if (ms === undefined || ms < 1000)
      throw new MsfctlError('USAGE', `${name} must be a duration such as 30s, 10m or 1h (got ${value}).`);
    return Math.round(ms / 1000);
  };
}

export function registerHealth(program: Command): void {
  program
    .command('health')
    .argument('[app]', "application (default: the spec's)")
    .description(
      'is the job healthy? restarts, downtime, uptime resets and failed checkpoints from CloudWatch, with the evidence (exit 0 healthy, 1 unhealthy, 2 unknown)',
    )
    .option('--watch', 'check again every --interval until interrupted (Ctrl-C)')
    .option(
      '--interval <duration>',
      'time between checks with --watch (default 5s on msf-local, 60s on AWS)',
      seconds('--interval'),
    )
    .option('--window <duration>', 'how far back to look (default 10m)', seconds('--window'))
    .option(
      '--parallelism <n>',
      'with a fleet (-f DIR, -f GLOB, -f repeated): applications at a time (default 8)',
      positiveInt('--parallelism'),
    )
    .action(async (app: string | undefined, _o, cmd: Command) => {
      const options = cmd.optsWithGlobals<HealthOptions>();
      if (isFleet(options))
        return runCommand(options, (host) => {
          if (app || options.watch)
            throw new MsfctlError('USAGE', 'A fleet health check takes no application name and no --watch.');
          return runFleetCommand('health', options, host);
        });
      await runWithContext(options, readingApplication(app), async (ctx, host) => {
        if (!(await ctx.gateway.describe(ctx.application))) {
          throw new MsfctlError('APP_NOT_FOUND', `Application ${ctx.application} does not exist.`, {
            hint: 'Check the name and the target (region, endpoint).',
          });
        }
        const check: HealthCheckOptions = {
          application: ctx.application,
          fetcher: ctx.ports.metrics,
          exceptions: ctx.ports.exceptions,
          status: async (name) => (await ctx.gateway.describe(name))?.status,
          ...(options.window !== undefined ? { windowSeconds: options.window } : {}),
          // Only the current job's restarts count: a deploy inside the window is not a restart.
          baseline: async (now, windowMs) =>
            currentJobBaseline(
              await ctx.gateway.listOperations(ctx.application, 10).catch(() => []),
              now,
              windowMs,
            ),
        };
        if (!options.watch) {
          const result = await checkHealth(check);
          host.result(render(host, result), result);
          return EXIT[result.result.status];
        }
        const abort = new AbortController();
        const stop = () => abort.abort();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
        let last: HealthCheck | undefined;
        try {
          await watchHealth({
            ...check,
            ...(options.interval !== undefined ? { intervalSeconds: options.interval } : {}),
            signal: abort.signal,
            onCheck: (result) => {
              last = result;
              // One JSON document per line with --json, so a pipe can read them as they come.
              if (host.json) process.stdout.write(`${JSON.stringify(result)}\n`);
              else
                host.result(
                  `${new Date(result.checkedAt).toISOString().slice(11, 19)} ${render(host, result)}`,
                  result,
                );
            },
          });
        } finally {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
        }
        return last ? EXIT[last.result.status] : 2;
      });
    });
}

function render(host: IoHost, check: HealthCheck): string {
  const s = host.style;
  const lines = healthCheckMessages(check).map((m) =>
    m.level === 'success'
      ? `${s.green('✓')} ${m.text}`
      : m.level === 'error'
        ? `${s.red('✗')} ${m.text}`
        : m.level === 'warn'
          ? `${s.yellow('!')} ${m.text}`
          : s.dim(m.text),
  );
  const f = check.result.facts;
  if (f) {
    const window = formatDuration(f.window.to - f.window.from);
    lines.push(
      s.dim(
        `  over the last ${window}: ${f.datapoints} datapoints of ${f.periodSeconds}s, ${f.restarts} restart${f.restarts === 1 ? '' : 's'}${f.uptimeMs !== undefined ? `, up ${formatDuration(f.uptimeMs)}` : ''}, ${f.failedCheckpoints} failed checkpoint${f.failedCheckpoints === 1 ? '' : 's'}`,
      ),
    );
  }
  return lines.join('\n');
}
