/**
 * The post-apply seam: steps that run after the executor, successful or not, inside the same lock and
 * ledger entry. The bake/health watch and the recovery policy (issue 7) plug in here; a step that returns
 * ok: false makes the apply fail (exit code non-zero) even if the service operations succeeded.
 */
import type { AwsClients } from '../aws/clients.js';
import type { MsfGateway } from '../aws/msf-gateway.js';
import type { LiveApplication } from '../domain/application.js';
import type { LockedSession } from '../lifecycle/locked-session.js';
import type { IoHost } from '../output/io-host.js';
import type { Plan } from '../plan/plan.js';
import type { LoadedSpec } from '../spec/load.js';
import type { Clock } from '../time/clock.js';
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
}

export interface AfterApplyStep {
  name: string;
  run(ctx: AfterApplyContext): Promise<AfterApplyResult | undefined>;
}

export function defaultAfterApplySteps(): AfterApplyStep[] {
  return [];
}
