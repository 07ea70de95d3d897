/**
 * A scripted MSF for the executor's recovery tests: one application that follows the MSF rules recovery relies
 * on (force stop from a running status, update only READY/RUNNING with the current version, start only from
 * READY, rollback to the previous version's configuration), with injectable failures, operations that end at
 * once, and health verdicts for the verify actions. Every call is logged ("wait opN": the executor reads an
 * operation's outcome).
 */
import type {
  AppConfig,
  LiveApplication,
  OperationInfo,
  RestoreSettings,
} from '../../../src/model/application.js';
import type { HealthResult } from '../../../src/model/health.js';
import { healthy } from '../../../src/model/health.js';
import type { ConfigUpdate } from '../../../src/model/application.js';
import type { MsfGateway, Started } from '../../../src/ports/msf.js';

type Call = 'stop' | 'update' | 'start' | 'rollback';

export class ScriptedMsf implements MsfGateway {
  readonly calls: string[] = [];
  readonly operations = new Map<string, OperationInfo>();
  /** Configurations by version. */
  readonly versions = new Map<number, AppConfig>();
  /** The next call of this kind ends FAILED with this ErrorString (the application ends READY). */
  readonly failNext: Partial<Record<Call, string>> = {};
  /** The next call of this kind is refused (rejects). */
  readonly refuseNext: Partial<Record<Call, Error>> = {};
  /** Verdicts the verify steps return, in order (then healthy). */
  readonly verdicts: HealthResult[] = [];
  lastRun?: RestoreSettings;
  private seq = 0;

  constructor(
    public app: LiveApplication,
    history: Record<number, AppConfig> = {},
  ) {
    for (const [v, c] of Object.entries(history)) this.versions.set(Number(v), c);
    this.versions.set(app.versionId, app.config);
  }

  private operation(name: string, status: OperationInfo['status'], error?: string): Started {
    const id = `op${++this.seq}`;
    this.operations.set(id, { id, operation: name, status, ...(error ? { error } : {}) });
    return { operationId: id };
  }

  private refused(call: Call): void {
    const error = this.refuseNext[call];
    if (error) {
      delete this.refuseNext[call];
      throw error;
    }
  }

  private failure(call: Call): string | undefined {
    const error = this.failNext[call];
    delete this.failNext[call];
    return error;
  }

  private newVersion(config: AppConfig, links: Partial<LiveApplication> = {}): void {
    const versionId = Math.max(...this.versions.keys()) + 1;
    this.versions.set(versionId, config);
    this.app = { ...this.app, versionId, config, conditionalToken: `token-${versionId}`, ...links };
  }

  async describe(_app?: string): Promise<LiveApplication | undefined> {
    this.calls.push('describe');
    return structuredClone(this.app);
  }

  async stop(_app: string, force: boolean): Promise<Started> {
    this.calls.push(`stop${force ? ' --force' : ''}`);
    this.refused('stop');
    if (!['RUNNING', 'STARTING', 'UPDATING', 'AUTOSCALING'].includes(this.app.status))
      throw Object.assign(new Error(`is ${this.app.status}`), { name: 'ResourceInUseException' });
    this.app.status = 'READY';
    return this.operation('StopApplication', 'SUCCESSFUL');
  }

  async update(
    _app: string,
    basis: { conditionalToken?: string; versionId: number },
    update: ConfigUpdate,
    _run?: RestoreSettings,
  ): Promise<Started & { live: LiveApplication }> {
    this.calls.push(`update ${Object.keys(update).join(',')}`);
    this.refused('update');
    if (basis.versionId !== this.app.versionId)
      throw Object.assign(new Error('version mismatch'), { name: 'ConcurrentModificationException' });
    if (!['READY', 'RUNNING'].includes(this.app.status))
      throw Object.assign(new Error(`is ${this.app.status}`), { name: 'ResourceInUseException' });
    this.newVersion({ ...this.app.config, ...update }, { versionUpdatedFrom: this.app.versionId });
    const error = this.failure('update');
    if (error) this.app.status = 'READY';
    return { ...this.operation('UpdateApplication', error ? 'FAILED' : 'SUCCESSFUL', error), live: this.app };
  }

  async start(_app: string, run: RestoreSettings): Promise<Started> {
    this.calls.push(`start ${run.from}${run.snapshot ? ` ${run.snapshot}` : ''}`);
    this.refused('start');
    if (this.app.status !== 'READY')
      throw Object.assign(new Error(`is ${this.app.status}`), { name: 'ResourceInUseException' });
    this.lastRun = run;
    const error = this.failure('start');
    this.app.status = error ? 'READY' : 'RUNNING';
    return this.operation('StartApplication', error ? 'FAILED' : 'SUCCESSFUL', error);
  }

  async rollback(_app: string, versionId: number): Promise<Started & { live: LiveApplication }> {
    this.calls.push(`rollback ${versionId}`);
    this.refused('rollback');
    const previous =
      this.app.versionUpdatedFrom === undefined ? undefined : this.versions.get(this.app.versionUpdatedFrom);
    if (!previous)
      throw Object.assign(new Error('no previous version'), { name: 'UnsupportedOperationException' });
    const error = this.failure('rollback');
    if (error) {
      this.app.status = 'READY';
      return { ...this.operation('RollbackApplication', 'FAILED', error), live: this.app };
    }
    this.newVersion(previous, {
      rolledBackFrom: this.app.versionId,
      rolledBackTo: this.app.versionUpdatedFrom!,
    });
    this.app.status = 'RUNNING';
    return { ...this.operation('RollbackApplication', 'SUCCESSFUL'), live: this.app };
  }

  async describeOperation(_app: string, operationId: string): Promise<OperationInfo> {
    this.calls.push(`wait ${operationId}`);
    const operation = this.operations.get(operationId);
    if (!operation) throw new Error(`no operation ${operationId}`);
    return operation;
  }

  async listOperations(): Promise<OperationInfo[]> {
    return [...this.operations.values()].reverse();
  }

  async listSnapshots() {
    return [];
  }

  create(): never {
    throw new Error('not scripted');
  }
  delete(): never {
    throw new Error('not scripted');
  }
  createSnapshot(): never {
    throw new Error('not scripted');
  }
  deleteSnapshot(): never {
    throw new Error('not scripted');
  }
  listVersions(): never {
    throw new Error('not scripted');
  }
  describeVersion(): never {
    throw new Error('not scripted');
  }
  listApplications(): never {
    throw new Error('not scripted');
  }
  describeEnhancedSnapshot(): never {
    throw new Error('not scripted');
  }
  listEnhancedSnapshots(): never {
    throw new Error('not scripted');
  }
  importSnapshot(): never {
    throw new Error('not scripted');
  }
  describeSnapshotOperation(): never {
    throw new Error('not scripted');
  }
  addLoggingOption(): never {
    throw new Error('not scripted');
  }
  deleteLoggingOption(): never {
    throw new Error('not scripted');
  }
  listTags(): never {
    throw new Error('not scripted');
  }
  changeTags(): never {
    throw new Error('not scripted');
  }

  /** The verify actions' health watch: the queued verdicts, then healthy. */
  async verify(_app: string, seconds: number): Promise<HealthResult> {
    this.calls.push(`verify ${seconds}s`);
    return this.verdicts.shift() ?? healthy('0 restarts since the job started, up 1m, 0 failed');
  }
}
