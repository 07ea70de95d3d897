/**
 * An in-memory MsfGateway for unit tests of the executor, waiters and lifecycle commands. It follows the
 * msf-api.md state machine in the small: versions increment on update, operations stay IN_PROGRESS for a
 * few polls with a transient status, stops take snapshots when enabled, failures can be injected. Enhanced
 * snapshots (§7) are account-level: taken in enhanced mode (SYSTEM ones on stop and update), they outlive their
 * application; the switch is one-way and needs FLINK-1_20+. Integration tests use the real msf-local instead.
 * (Long: one fake of the whole MSF port, so that the tests see one consistent service.)
 */
import type { ApplicationSummary, MsfGateway, Started } from '../../src/ports/msf.js';
import type {
  AppConfig,
  AppStatus,
  LiveApplication,
  OperationInfo,
  RestoreSettings,
  S3Prefix,
  SnapshotInfo,
  SnapshotMode,
  SnapshotOperationInfo,
  Tags,
  VersionSummary,
} from '../../src/model/application.js';
import { MsfctlError } from '../../src/model/errors.js';
import { supportsEnhancedSnapshots } from '../../src/model/snapshot-refs.js';
import type { ConfigUpdate } from '../../src/model/application.js';

interface Pending {
  op: OperationInfo;
  polls: number;
  finish: () => void;
}

interface App {
  live: LiveApplication;
  versions: Map<number, LiveApplication>;
  operations: OperationInfo[];
  snapshots: SnapshotInfo[];
  pending?: Pending;
}

export interface FakeOptions {
  /** Polls an operation stays IN_PROGRESS. */
  polls?: number;
  now?: () => number;
}

export class FakeMsf implements MsfGateway {
  readonly apps = new Map<string, App>();
  /** Enhanced snapshots: the account's, not any application's. */
  readonly enhanced: SnapshotInfo[] = [];
  readonly snapshotOperations = new Map<string, SnapshotOperationInfo & { snapshot: string }>();
  /** "S3": object bodies by bucket/key (imports read savepoints here, FakeSnapshotExporter writes them). */
  readonly objects = new Map<string, Buffer>();
  readonly buckets = new Set<string>(['artifacts']);
  readonly calls: string[] = [];
  /** Tags by application ARN. */
  readonly tags = new Map<string, Tags>();
  /** The next operation of this kind fails with this ErrorString. */
  readonly failNext: Partial<Record<'StartApplication' | 'UpdateApplication' | 'StopApplication', string>> =
    {};
  private seq = 0;
  private last = 0;

  constructor(private readonly options: FakeOptions = {}) {}

  private now(): number {
    // Real time (the ledger stamps real time too), strictly increasing.
    this.last = Math.max(this.options.now?.() ?? Date.now(), this.last + 1);
    return this.last;
  }

  private app(name: string): App {
    const app = this.apps.get(name);
    if (!app) throw new MsfctlError('APP_NOT_FOUND', `Application ${name} not found`);
    this.progress(app);
    return app;
  }

  /** Moves an in-progress operation on by one poll. */
  private progress(app: App): void {
    const p = app.pending;
    if (!p) return;
    if (p.polls-- > 0) return;
    app.pending = undefined;
    p.finish();
  }

  private begin(
    app: App,
    operation: string,
    transient: AppStatus,
    finish: (op: OperationInfo) => void,
  ): Started {
    if (app.pending) throw new MsfctlError('APP_BUSY', `${app.live.name} is ${app.live.status}`);
    const op: OperationInfo = {
      id: `op${++this.seq}`,
      operation,
      status: 'IN_PROGRESS',
      startedAt: this.now(),
    };
    app.operations.unshift(op);
    app.live = { ...app.live, status: transient };
    const error = this.failNext[operation as keyof FakeMsf['failNext']];
    if (error) delete this.failNext[operation as keyof FakeMsf['failNext']];
    app.pending = {
      op,
      polls: this.options.polls ?? 2,
      finish: () => {
        op.endedAt = this.now();
        if (error) {
          op.status = 'FAILED';
          op.error = error;
          app.live = { ...app.live, status: 'READY' };
        } else {
          op.status = 'SUCCESSFUL';
          finish(op);
        }
      },
    };
    return { operationId: op.id };
  }

  private newVersion(app: App, config: AppConfig): void {
    const versionId = app.live.versionId + 1;
    app.live = {
      ...app.live,
      config,
      versionId,
      versionUpdatedFrom: app.live.versionId,
      conditionalToken: `token-${versionId}`,
    };
    app.versions.set(versionId, app.live);
  }

  /** A snapshot of the running job: enhanced in enhanced mode (SYSTEM when the service takes it). */
  private takeSnapshot(app: App, name?: string): void {
    const createdAt = this.now();
    if (app.live.config.snapshotMode !== 'enhanced') {
      app.snapshots.unshift({
        name: name ?? `auto-${++this.seq}`,
        status: 'READY',
        versionId: app.live.versionId,
        createdAt,
      });
      return;
    }
    const chosen = name ?? `SYSTEMSNAPSHOT-${app.live.name}-${++this.seq}`;
    this.enhanced.unshift({
      name: chosen,
      status: 'READY',
      versionId: app.live.versionId,
      createdAt,
      runtime: app.live.config.runtime,
      enhanced: {
        arn: `arn:aws:kinesisanalytics:us-east-1:000000000000:snapshot/${chosen}`,
        initiator: name ? 'USER' : 'SYSTEM',
        initiatorOperation: name ? 'CreateSnapshot' : 'SystemCreateSnapshot',
        sourceApplication: app.live.name,
        sourceApplicationCreatedAt: app.live.createdAt,
      },
    });
  }

  async describe(name: string): Promise<LiveApplication | undefined> {
    this.calls.push(`describe ${name}`);
    const app = this.apps.get(name);
    if (!app) return undefined;
    this.progress(app);
    return structuredClone(app.live);
  }

  async create(
    name: string,
    config: AppConfig,
    _description?: string,
    tags?: Tags,
  ): Promise<LiveApplication> {
    this.calls.push(`create ${name}`);
    if (this.apps.has(name)) throw new MsfctlError('APP_BUSY', `${name} exists`);
    if (config.snapshotMode === 'enhanced' && !supportsEnhancedSnapshots(config.runtime))
      throw new MsfctlError('AWS', 'InvalidArgumentException: enhanced snapshots need FLINK-1_20');
    const live: LiveApplication = {
      name,
      arn: `arn:aws:kinesisanalytics:us-east-1:000000000000:application/${name}`,
      status: 'READY',
      versionId: 1,
      conditionalToken: 'token-1',
      createdAt: Math.floor(this.now() / 1000) * 1000,
      config: structuredClone(config),
      currentParallelism: config.parallelism.parallelism,
      ...(config.logStream ? { loggingOptions: [{ id: '1.1', logStreamArn: config.logStream }] } : {}),
    };
    this.apps.set(name, { live, versions: new Map([[1, live]]), operations: [], snapshots: [] });
    if (tags) this.tags.set(live.arn, { ...tags });
    return structuredClone(live);
  }

  async update(
    name: string,
    basis: { conditionalToken?: string; versionId: number },
    update: ConfigUpdate,
    _run?: RestoreSettings,
  ) {
    this.calls.push(`update ${name}`);
    const app = this.app(name);
    if ((basis.conditionalToken ?? `token-${basis.versionId}`) !== app.live.conditionalToken) {
      throw new MsfctlError('PLAN_STALE', 'ConcurrentModificationException');
    }
    const next = { ...app.live.config, ...structuredClone(update) };
    if (app.live.config.snapshotMode === 'enhanced' && next.snapshotMode === 'legacy')
      throw new MsfctlError('AWS', 'InvalidArgumentException: SnapshotModeUpdate is one-way');
    if (next.snapshotMode === 'enhanced' && !supportsEnhancedSnapshots(next.runtime))
      throw new MsfctlError('AWS', 'InvalidArgumentException: enhanced snapshots need FLINK-1_20');
    const wasRunning = app.live.status === 'RUNNING';
    // The update's snapshot is of the new mode (a switch to enhanced takes an enhanced one).
    if (wasRunning && next.snapshotsEnabled)
      this.takeSnapshot({ ...app, live: { ...app.live, config: next } } as App);
    this.newVersion(app, next);
    const config = app.live.config;
    const started = this.begin(app, 'UpdateApplication', 'UPDATING', () => {
      app.live = {
        ...app.live,
        status: wasRunning ? 'RUNNING' : 'READY',
        currentParallelism: config.parallelism.parallelism,
      };
    });
    return { ...started, live: structuredClone(app.live) };
  }

  async addLoggingOption(
    name: string,
    basis: { conditionalToken?: string; versionId: number },
    logStreamArn: string,
  ) {
    this.calls.push(`add-logging ${name} ${logStreamArn}`);
    const app = this.app(name);
    const options = [...(app.live.loggingOptions ?? [])];
    if (options.some((o) => o.logStreamArn === logStreamArn))
      throw new MsfctlError('AWS', 'InvalidArgumentException: already attached');
    options.push({ id: `${app.live.versionId + 1}.1`, logStreamArn });
    return this.changeLogging(app, basis, options);
  }

  async deleteLoggingOption(
    name: string,
    basis: { conditionalToken?: string; versionId: number },
    optionId: string,
  ) {
    this.calls.push(`delete-logging ${name} ${optionId}`);
    const app = this.app(name);
    const options = (app.live.loggingOptions ?? []).filter((o) => o.id !== optionId);
    if (options.length === (app.live.loggingOptions ?? []).length)
      throw new MsfctlError('APP_NOT_FOUND', `ResourceNotFoundException: no logging option ${optionId}`);
    return this.changeLogging(app, basis, options);
  }

  /** A new version with these logging options; the job is not restarted. */
  private changeLogging(
    app: App,
    basis: { conditionalToken?: string; versionId: number },
    options: { id: string; logStreamArn: string }[],
  ) {
    if ((basis.conditionalToken ?? `token-${basis.versionId}`) !== app.live.conditionalToken)
      throw new MsfctlError('PLAN_STALE', 'ConcurrentModificationException');
    const { logStream: _old, ...rest } = app.live.config;
    this.newVersion(app, { ...rest, ...(options[0] ? { logStream: options[0].logStreamArn } : {}) });
    app.live.loggingOptions = options;
    if (!options.length) delete app.live.loggingOptions;
    const steady = app.live.status;
    const started = this.begin(app, 'UpdateApplication', 'UPDATING', () => {
      app.live = { ...app.live, status: steady };
    });
    return { ...started, live: structuredClone(app.live) };
  }

  async listTags(arn: string): Promise<Tags> {
    this.calls.push(`list-tags ${arn}`);
    return { ...(this.tags.get(arn) ?? {}) };
  }

  async changeTags(arn: string, set: Tags, remove: string[]): Promise<void> {
    this.calls.push(`tag ${arn} set ${Object.keys(set).join(',')} remove ${remove.join(',')}`);
    const tags = { ...(this.tags.get(arn) ?? {}), ...set };
    for (const key of remove) delete tags[key];
    this.tags.set(arn, tags);
  }

  async start(name: string, run: RestoreSettings): Promise<Started> {
    this.calls.push(`start ${name} ${run.from}${run.snapshotArn ? ` ${run.snapshotArn}` : ''}`);
    const app = this.app(name);
    if (app.live.status !== 'READY') throw new MsfctlError('APP_BUSY', `${name} is ${app.live.status}`);
    const enhancedMode = app.live.config.snapshotMode === 'enhanced';
    if (run.from === 'snapshot' && (run.snapshotArn !== undefined) !== enhancedMode)
      throw new MsfctlError(
        'AWS',
        'InvalidArgumentException: SnapshotArn in enhanced mode, SnapshotName otherwise',
      );
    if (
      run.snapshotArn &&
      !this.enhanced.some((s) => s.enhanced?.arn === run.snapshotArn && s.status === 'READY')
    )
      throw new MsfctlError('AWS', `InvalidArgumentException: no READY snapshot ${run.snapshotArn}`);
    return this.begin(app, 'StartApplication', 'STARTING', () => {
      app.live = { ...app.live, status: 'RUNNING', lastRun: run };
    });
  }

  async stop(name: string, force: boolean): Promise<Started> {
    this.calls.push(`stop ${name}${force ? ' force' : ''}`);
    const app = this.app(name);
    if (!force && app.live.status !== 'RUNNING')
      throw new MsfctlError('APP_BUSY', `${name} is ${app.live.status}`);
    return this.begin(app, 'StopApplication', force ? 'FORCE_STOPPING' : 'STOPPING', () => {
      if (!force && app.live.config.snapshotsEnabled) this.takeSnapshot(app);
      app.live = { ...app.live, status: 'READY' };
    });
  }

  async rollback(name: string, versionId: number) {
    this.calls.push(`rollback ${name}`);
    const app = this.app(name);
    if (versionId !== app.live.versionId)
      throw new MsfctlError('PLAN_STALE', 'ConcurrentModificationException');
    const previous = app.versions.get(app.live.versionUpdatedFrom ?? versionId - 1)!;
    const from = app.live.versionId;
    this.newVersion(app, previous.config);
    app.live = { ...app.live, rolledBackFrom: from, rolledBackTo: previous.versionId };
    const started = this.begin(app, 'RollbackApplication', 'ROLLING_BACK', () => {
      app.live = { ...app.live, status: 'RUNNING' };
    });
    return { ...started, live: structuredClone(app.live) };
  }

  async delete(name: string, createdAt: number): Promise<void> {
    this.calls.push(`delete ${name}`);
    const app = this.app(name);
    if (createdAt !== app.live.createdAt)
      throw new MsfctlError('AWS', 'InvalidArgumentException: CreateTimestamp');
    this.apps.delete(name);
  }

  async describeOperation(name: string, operationId: string): Promise<OperationInfo> {
    const app = this.app(name);
    const op = app.operations.find((o) => o.id === operationId);
    if (!op) throw new MsfctlError('APP_NOT_FOUND', `operation ${operationId}`);
    return { ...op };
  }

  async listOperations(name: string, limit = 50): Promise<OperationInfo[]> {
    return this.app(name)
      .operations.slice(0, limit)
      .map((o) => ({ ...o }));
  }

  async listSnapshots(name: string): Promise<SnapshotInfo[]> {
    const app = this.app(name);
    const enhanced =
      app.live.config.snapshotMode === 'enhanced'
        ? this.enhanced.filter(
            (s) =>
              s.enhanced?.sourceApplication === name &&
              s.enhanced.sourceApplicationCreatedAt === app.live.createdAt,
          )
        : [];
    return structuredClone([...app.snapshots, ...enhanced].sort((a, b) => b.createdAt - a.createdAt));
  }

  async createSnapshot(name: string, snapshotName: string, mode: SnapshotMode): Promise<void> {
    this.calls.push(`snapshot ${snapshotName}${mode === 'enhanced' ? ' (enhanced)' : ''}`);
    const app = this.app(name);
    if (app.live.status !== 'RUNNING') throw new MsfctlError('APP_BUSY', `${name} is ${app.live.status}`);
    if (mode !== app.live.config.snapshotMode)
      throw new MsfctlError(
        'AWS',
        `UnsupportedOperationException: ${name} is in ${app.live.config.snapshotMode} mode`,
      );
    if (mode === 'enhanced' && this.enhanced.some((s) => s.name === snapshotName))
      throw new MsfctlError('USAGE', `ResourceInUseException: snapshot ${snapshotName} already exists`);
    this.takeSnapshot(app, snapshotName);
  }

  async deleteSnapshot(
    name: string,
    snapshot: Pick<SnapshotInfo, 'name' | 'createdAt' | 'enhanced'>,
  ): Promise<void> {
    this.calls.push(`delete-snapshot ${snapshot.name}${snapshot.enhanced ? ' (enhanced)' : ''}`);
    if (snapshot.enhanced) {
      const i = this.enhanced.findIndex(
        (x) => x.name === snapshot.name && x.createdAt === snapshot.createdAt,
      );
      if (i < 0)
        throw new MsfctlError('APP_NOT_FOUND', `ResourceNotFoundException: snapshot ${snapshot.name}`);
      this.enhanced.splice(i, 1);
      return;
    }
    const app = this.app(name);
    const s = app.snapshots.find((x) => x.name === snapshot.name);
    if (!s || s.createdAt !== snapshot.createdAt)
      throw new MsfctlError('SNAPSHOT', `snapshot ${snapshot.name}`);
    app.snapshots = app.snapshots.filter((x) => x !== s);
  }

  async describeEnhancedSnapshot(snapshotName: string): Promise<SnapshotInfo | undefined> {
    const s = this.enhanced.find((x) => x.name === snapshotName);
    return s ? structuredClone(s) : undefined;
  }

  async listEnhancedSnapshots(): Promise<SnapshotInfo[]> {
    // As ListSnapshots lists them: without the version, which only DescribeSnapshot says.
    return structuredClone(this.enhanced).map((s) => ({ ...s, versionId: 0 }));
  }

  async importSnapshot(
    snapshotName: string,
    from: S3Prefix,
    _role: string,
  ): Promise<{ operationId: string; arn: string }> {
    if (this.enhanced.some((s) => s.name === snapshotName))
      throw new MsfctlError('USAGE', `ResourceInUseException: snapshot ${snapshotName} already exists`);
    const arn = `arn:aws:kinesisanalytics:us-east-1:000000000000:snapshot/${snapshotName}`;
    const ok = this.objects.has(`${from.bucket}/${from.prefix}_metadata`);
    this.enhanced.unshift({
      name: snapshotName,
      status: ok ? 'READY' : 'FAILED',
      versionId: 0,
      createdAt: this.now(),
      enhanced: {
        arn,
        initiator: 'USER',
        initiatorOperation: 'ImportSnapshot',
        importedFrom: `s3://${from.bucket}/${from.prefix}`,
      },
    });
    const id = `snapop${++this.seq}`;
    this.snapshotOperations.set(id, {
      id,
      snapshot: snapshotName,
      operation: 'ImportSnapshot',
      status: ok ? 'SUCCESSFUL' : 'FAILED',
      snapshotArn: arn,
      ...(ok ? {} : { error: { code: 'InvalidSavepoint', message: `no _metadata under ${from.prefix}` } }),
    });
    return { operationId: id, arn };
  }

  async describeSnapshotOperation(snapshotName: string, operationId: string): Promise<SnapshotOperationInfo> {
    const op = this.snapshotOperations.get(operationId);
    if (!op || op.snapshot !== snapshotName)
      throw new MsfctlError('APP_NOT_FOUND', `ResourceNotFoundException: operation ${operationId}`);
    const { snapshot: _snapshot, ...info } = op;
    return structuredClone(info);
  }

  async listVersions(name: string): Promise<VersionSummary[]> {
    return [...this.app(name).versions.values()]
      .map((v) => ({ versionId: v.versionId, status: v.status }))
      .reverse();
  }

  async describeVersion(name: string, versionId: number): Promise<LiveApplication> {
    return structuredClone(this.app(name).versions.get(versionId)!);
  }

  async listApplications(): Promise<ApplicationSummary[]> {
    return [...this.apps.values()].map((a) => ({
      name: a.live.name,
      status: a.live.status,
      versionId: a.live.versionId,
      runtime: a.live.config.runtime,
    }));
  }

  /** Changes the configuration the way another tool would (console, CLI): a new version. */
  outOfBand(name: string, change: (c: AppConfig) => AppConfig): void {
    const app = this.app(name);
    this.newVersion(app, change(structuredClone(app.live.config)));
    app.operations.unshift({
      id: `op${++this.seq}`,
      operation: 'UpdateApplication',
      status: 'SUCCESSFUL',
      startedAt: this.now(),
      endedAt: this.now(),
    });
  }
}

/** A clock whose sleep returns at once and advances time. */
export function fakeClock(start = 1_700_000_000_000) {
  let now = start;
  return {
    now: () => now,
    sleep: async (ms: number) => {
      now += ms;
    },
    advance: (ms: number) => {
      now += ms;
    },
  };
}
