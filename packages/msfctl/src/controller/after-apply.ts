/**
 * The post-apply seam: steps that run after the executor, successful or not, inside the same lock and
 * ledger entry. The bake/health watch and the recovery policy (issue 7) plug in here; a step that returns
 * ok: false makes the apply fail (exit code non-zero) even if the service operations succeeded.
 */
import type { AwsClients } from '../adapters/aws/clients.js';
import type { MsfGateway } from '../ports/msf.js';
import type { LiveApplication } from '../model/application.js';
import type { LockedSession } from './session.js';
import type { IoHost } from '../ports/io-host.js';
import type { Plan } from '../model/plan.js';
import type { LoadedSpec } from '../spec/load.js';
import type { Clock } from '../ports/clock.js';
import { CloudWatchHealthFetcher, periodFor } from '../adapters/aws/cloudwatch-fetcher.js';
import { FlinkDashboardExceptionSource } from '../adapters/aws/exception-source.js';
import type { DeploySettings } from '../model/deploy-settings.js';
import { deployGuardStep } from './recovery/deploy-guard.js';
import type { ExecutionResult } from './executor.js';

export interface AfterApplyContext {
  plan: Plan;
  execution: ExecutionResult;
  /** The application after the executor (re-described). */
  live: LiveApplication | undefined;
  spec: LoadedSpec | undefined;
  gateway: MsfGateway;
  clients: AwsClients;
  host: IoHost;
  session: LockedSession;
  clock: Clock;
  flags: Record<string, unknown>;
}

export interface AfterApplyResult {
  ok: boolean;
  /** The application after the step, when it changed it. */
  live?: LiveApplication | undefined;
  message?: string;
  /**
   * The step carried out what the plan meant after the executor failed (e.g. the deploy by force-stop,
   * update, start when the service refused a snapshot): apply counts as successful if the step is ok.
   */
  completesDeploy?: boolean;
  /** What the step saw and did, for apply's `--json` result (under `afterApply[step name]`). */
  report?: unknown;
}

export interface AfterApplyStep {
  name: string;
  run(ctx: AfterApplyContext): Promise<AfterApplyResult | undefined>;
}

export interface DefaultStepsOptions {
  /** The target's kind: CloudWatch publishes 1-minute datapoints on AWS, 1-second ones on msf-local. */
  targetKind: 'aws' | 'local';
  deploy: Pick<DeploySettings, 'bakeSeconds' | 'onFailure'>;
}

/** The steps `apply` runs by default: the safe-deploy guard (bake, recovery). */
export function defaultAfterApplySteps(options: DefaultStepsOptions): AfterApplyStep[] {
  return [
    deployGuardStep({
      bakeSeconds: options.deploy.bakeSeconds,
      onFailure: options.deploy.onFailure,
      fetcher: (ctx) =>
        new CloudWatchHealthFetcher(ctx.clients.cloudwatch, { periodSeconds: periodFor(options.targetKind) }),
      // Reads the job's exceptions where the service hands out a dashboard URL that answers without a browser.
      exceptions: (ctx) => new FlinkDashboardExceptionSource(ctx.clients.msf),
    }),
  ];
}
