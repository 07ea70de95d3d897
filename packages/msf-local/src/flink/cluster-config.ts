import path from 'node:path';
import { pathToFileURL } from 'node:url';

import type { JobLaunch } from '../control-plane/job-runtime.js';
import type { FlinkRuntimeSpec } from 'msf-flink-runtime';

/** The Flink configuration of one application's cluster, as MSF would run its job. */
export function clusterConfig(
  launch: Pick<JobLaunch, 'workDir' | 'snapshotDir' | 'parallelism' | 'checkpointing'>,
  spec: FlinkRuntimeSpec,
  options: { restartDelayMs: number; metricsRefreshMs: number },
): Record<string, string> {
  const flinkDir = path.join(launch.workDir, 'flink');
  const config: Record<string, string> = {
    'rest.address': '127.0.0.1',
    'rest.bind-address': '127.0.0.1',
    'rest.bind-port': '0',
    // Every server socket on loopback only (the BLOB server would otherwise listen on all interfaces).
    'jobmanager.rpc.address': '127.0.0.1',
    'jobmanager.bind-host': '127.0.0.1',
    'taskmanager.host': '127.0.0.1',
    'taskmanager.bind-host': '127.0.0.1',
    'taskmanager.numberOfTaskSlots': String(launch.parallelism),
    'parallelism.default': String(launch.parallelism),
    'web.submit.enable': 'true',
    'web.cancel.enable': 'true',
    'web.upload.dir': path.join(flinkDir, 'uploads'),
    'web.tmpdir': path.join(flinkDir, 'web-tmp'),
    'io.tmp.dirs': path.join(flinkDir, 'tmp'),
    // The REST API caches job details for this long (default 3 s): keep job and task states fresh.
    'web.refresh-interval': '200',
    'metrics.fetcher.update-interval': String(options.metricsRefreshMs),
    [spec.checkpointDirKey]: fileUri(path.join(launch.workDir, 'checkpoints')),
    [spec.savepointDirKey]: fileUri(launch.snapshotDir),
    // MSF: a failing job restarts for ever, with a fixed delay.
    'restart-strategy.type': 'fixed-delay',
    'restart-strategy.fixed-delay.attempts': String(2_147_483_647),
    'restart-strategy.fixed-delay.delay': `${options.restartDelayMs} ms`,
    'execution.checkpointing.externalized-checkpoint-retention': 'RETAIN_ON_CANCELLATION',
  };
  if (launch.checkpointing.enabled) {
    config['execution.checkpointing.interval'] = `${launch.checkpointing.intervalMs} ms`;
    config['execution.checkpointing.min-pause'] = `${launch.checkpointing.minPauseMs} ms`;
  }
  return config;
}

export function fileUri(dir: string): string {
  return pathToFileURL(path.resolve(dir)).href;
}
