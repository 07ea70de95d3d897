// Long on purpose: the MSF API's one entry point, a method per operation (checks: request-checks.ts).
/**
 * The MSF control plane: one method per API operation, in domain terms (moto's "backend").
 *
 * Calls validate against the application's status and version, change the application, persist it, and
 * return at once; anything that involves the job (start, stop, update-with-restart, rollback, snapshots) then
 * runs in the background in JobSupervisor, which moves the status on only when the job runtime reports.
 */
import { applyUpdate, checkpointFrom, monitoringFrom, parallelismFrom } from './configuration.js';
import type {
  CheckpointInput,
  CodeInput,
  ConfigUpdate,
  MonitoringInput,
  ParallelismInput,
} from './configuration.js';
import { KeyedMutex } from '../store/keyed-mutex.js';
import type { ApplicationStore } from './application-store.js';
import {
  invalidApplicationConfiguration,
  invalidArgument,
  invalidRequest,
  limitExceeded,
  resourceInUse,
  resourceNotFound,
  unsupportedOperation,
} from './errors.js';
import { addOperation, addRollbackVersion, addVersion } from './application-history.js';
import { newConditionalToken, newResourceId, nextSubResourceId } from './ids.js';
import type { PropertyGroup } from './job-runtime.js';
import { JobSupervisor } from './job-supervisor.js';
import type { JobSupervisorOptions } from './job-supervisor.js';
import { defaultMaintenanceWindowStart, maintenanceWindowEnd } from './maintenance.js';
import { currentVersion } from './model.js';
import type {
  Application,
  ApplicationConfig,
  ApplicationVersion,
  Operation,
  OperationStatus,
  RunConfig,
  Snapshot,
} from './model.js';
import { assertAllowed, transition } from './state-machine.js';
import { EnhancedSnapshots } from './snapshots/enhanced-snapshots.js';
import { isEnhanced, snapshotNameOf } from './snapshots/model.js';
import type { SnapshotMode } from './snapshots/model.js';
import {
  checkLegacySnapshotOperation,
  checkModeOnCreate,
  checkModeUpdate,
  checkRollbackMode,
} from './snapshots/mode-rules.js';
import type { SnapshotObjectStore } from './snapshots/savepoint-transfer.js';
import type { CodeSource } from './code-source.js';
import {
  checkGuard,
  checkScale,
  checkTags,
  codeConfig,
  defaultRestartRun,
  runConfigFrom,
  type RunInput,
  type VersionGuard,
} from './request-checks.js';

export type { RunInput, VersionGuard } from './request-checks.js';

/** Where application code in S3 is read from (msf-local's own S3). */
export type { CodeSource };

export interface CreateApplicationInput {
  name: string;
  description?: string;
  runtimeEnvironment: string;
  serviceExecutionRole: string;
  mode?: 'STREAMING' | 'INTERACTIVE';
  code?: CodeInput;
  checkpoint?: CheckpointInput;
  monitoring?: MonitoringInput;
  parallelism?: ParallelismInput;
  propertyGroups?: PropertyGroup[];
  snapshotsEnabled?: boolean;
  systemRollbackEnabled?: boolean;
  vpcConfigurations?: { subnetIds: string[]; securityGroupIds: string[] }[];
  loggingOptions?: { logStreamArn: string }[];
  encryption?: { keyType: 'AWS_OWNED_KEY' | 'CUSTOMER_MANAGED_KEY'; keyId?: string };
  tags?: { key: string; value: string }[];
  snapshotMode?: SnapshotMode;
}

export interface ControlPlaneOptions extends JobSupervisorOptions {
  account?: string;
  /** Applications per Region (MSF default quota: 100). */
  applicationLimit?: number;
  /** Snapshots per application (MSF: 1,000). */
  snapshotLimit?: number;
  /** KPUs per application (MSF default quota: 64). */
  kpuLimit?: number;
  /** Parallelism per application (MSF default maximum: 256). */
  parallelismLimit?: number;
  /** msf-local's S3, where enhanced snapshots are exported to and imported from. */
  snapshotObjects?: SnapshotObjectStore;
  now?: () => number;
}

/** The lock key of an application ARN: its name, as the name-keyed write paths use. */
function applicationNameOfArn(arn: string): string {
  const slash = arn.indexOf(':application/');
  return slash < 0 ? arn : arn.slice(slash + ':application/'.length);
}

/** Runtimes msf-local can create but not necessarily run; the job runtime decides what it can start. */
const FLINK_RUNTIME = /^FLINK-\d+_\d+$/;
const RETIRED_RUNTIMES = new Set(['FLINK-1_6', 'FLINK-1_8', 'FLINK-1_11']);

export class ControlPlane {
  private readonly apps = new Map<string, Application>();
  /**
   * Every write to an application runs under its name's lock, from its checks to its commit: a check made before an
   * await (fetching inline code, a snapshot probe) still holds when the write lands.
   */
  private readonly writes = new KeyedMutex();
  readonly account: string;
  private readonly jobs: JobSupervisor;
  private readonly now: () => number;
  /** Enhanced snapshots: account-level, apart from the applications (snapshots/). */
  readonly enhancedSnapshots: EnhancedSnapshots;

  constructor(
    private readonly store: ApplicationStore,
    private readonly code: CodeSource,
    private readonly options: ControlPlaneOptions = {},
  ) {
    this.account = options.account ?? '000000000000';
    this.now = options.now ?? Date.now;
    this.enhancedSnapshots = new EnhancedSnapshots({
      dataDir: store.dataDir,
      applications: {
        get: (name) => this.describeApplication(name),
        assertSnapshotPossible: (app) => this.jobs.assertSnapshotPossible(app),
        savepoint: (app) => this.jobs.savepoint(app),
      },
      objects: options.snapshotObjects,
      account: this.account,
      now: this.now,
      snapshotLimit: options.snapshotLimit,
      log: options.log ?? ((m) => process.stderr.write(`msf-local: ${m}\n`)),
    });
    this.jobs = new JobSupervisor(
      store,
      code,
      options,
      (app) => this.persist(app),
      this.now,
      (name) => this.forget(name),
      this.enhancedSnapshots,
    );
    // A job whose cluster JVM died is restarted by the supervisor (as MSF restarts a failed job).
    options.runtime?.onClusterLost((name) => {
      const app = this.apps.get(name);
      if (app) this.jobs.clusterLost(app);
    });
  }

  /** Loads the persisted applications and brings back what was running before msf-local stopped. */
  async open(): Promise<void> {
    await this.enhancedSnapshots.open();
    for (const app of await this.store.loadAll()) this.apps.set(app.name, app);
    for (const app of this.apps.values()) await this.jobs.recover(app);
  }

  /** Stops background work and every job cluster; persisted state is left as is for the next start. */
  async close(): Promise<void> {
    await this.jobs.close();
    await this.enhancedSnapshots.close();
  }

  // ---------------------------------------------------------------- applications

  async createApplication(input: CreateApplicationInput, region: string): Promise<Application> {
    return this.writes.run(input.name, async () => {
      if (!FLINK_RUNTIME.test(input.runtimeEnvironment) || input.mode === 'INTERACTIVE') {
        throw unsupportedOperation(
          `msf-local runs Apache Flink applications only; RuntimeEnvironment ${input.runtimeEnvironment}` +
            (input.mode === 'INTERACTIVE' ? ' with ApplicationMode INTERACTIVE (Studio)' : '') +
            ' is not supported.',
        );
      }
      if (RETIRED_RUNTIMES.has(input.runtimeEnvironment)) {
        throw invalidArgument(
          `Runtime ${input.runtimeEnvironment} is no longer supported for new applications. Use a newer runtime.`,
        );
      }
      checkModeOnCreate(input.snapshotMode, input.runtimeEnvironment);
      if (this.apps.has(input.name)) {
        throw resourceInUse(`Application ${input.name} already exists.`);
      }
      if (this.apps.size >= (this.options.applicationLimit ?? 100)) {
        throw limitExceeded(
          `Cannot create application ${input.name}: the limit of applications was reached.`,
        );
      }
      checkTags(input.tags ?? []);
      const now = this.now();
      const config: ApplicationConfig = {
        description: input.description ?? '',
        runtimeEnvironment: input.runtimeEnvironment,
        serviceExecutionRole: input.serviceExecutionRole,
        mode: input.mode ?? 'STREAMING',
        checkpoint: checkpointFrom(input.checkpoint),
        monitoring: monitoringFrom(input.monitoring),
        parallelism: parallelismFrom(input.parallelism),
        ...(input.propertyGroups ? { propertyGroups: structuredClone(input.propertyGroups) } : {}),
        snapshotsEnabled: input.snapshotsEnabled ?? true,
        systemRollbackEnabled: input.systemRollbackEnabled ?? false,
        vpcConfigurations: (input.vpcConfigurations ?? []).map((v, i) => ({
          id: `${i + 1}.1`,
          vpcId: `vpc-${newResourceId().slice(0, 8)}`,
          subnetIds: [...v.subnetIds],
          securityGroupIds: [...v.securityGroupIds],
        })),
        loggingOptions: (input.loggingOptions ?? []).map((l, i) => ({
          id: `${i + 1}.1`,
          logStreamArn: l.logStreamArn,
          roleArn: input.serviceExecutionRole,
        })),
        ...(input.encryption ? { encryption: { ...input.encryption } } : {}),
        ...(input.snapshotMode ? { snapshotMode: input.snapshotMode } : {}),
      };
      config.code = await codeConfig(input.code, undefined, input.runtimeEnvironment, {
        store: this.store,
        code: this.code,
      });
      if (!config.code) delete config.code;
      checkScale(config, this.options);
      const createdAt = Math.floor(now / 1000) * 1000;
      const app: Application = {
        name: input.name,
        arn: `arn:aws:kinesisanalytics:${region}:${this.account}:application/${input.name}`,
        region,
        createdAt,
        lastUpdatedAt: createdAt,
        status: 'READY',
        currentVersionId: 1,
        versions: [
          { id: 1, createdAt: now, config, status: 'READY', conditionalToken: newConditionalToken() },
        ],
        operations: [],
        snapshots: [],
        tags: (input.tags ?? []).map((t) => ({ ...t })),
        maintenanceWindowStart: defaultMaintenanceWindowStart(region),
        snapshotSequence: 0,
      };
      this.apps.set(app.name, app);
      await this.persist(app);
      return app;
    });
  }

  describeApplication(name: string): Application {
    const app = this.apps.get(name);
    if (!app) throw resourceNotFound(`Application ${name} does not exist`);
    return app;
  }

  /** The Flink plan (JSON) of the application's running job; undefined when no job runs. */
  async jobPlan(name: string): Promise<string | undefined> {
    return this.jobs.jobPlan(this.describeApplication(name));
  }

  listApplications(): Application[] {
    return [...this.apps.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  async updateApplication(
    name: string,
    guard: VersionGuard,
    update: ConfigUpdate,
    runUpdate?: RunInput,
  ): Promise<{ app: Application; operationId: string }> {
    return this.writes.run(name, async () => {
      const app = this.describeApplication(name);
      checkGuard(app, guard, true);
      assertAllowed('UpdateApplication', app);
      const running = app.status === 'RUNNING';
      const previous = currentVersion(app);
      if (update.runtimeEnvironment && !FLINK_RUNTIME.test(update.runtimeEnvironment)) {
        throw invalidArgument(
          `Cannot change the runtime of a Flink application to ${update.runtimeEnvironment}.`,
        );
      }
      checkModeUpdate(previous.config, update);
      for (const vpc of update.vpcUpdates ?? []) {
        if (!previous.config.vpcConfigurations.some((v) => v.id === vpc.id)) {
          throw resourceNotFound(`VPC configuration ${vpc.id} does not exist in application ${name}`);
        }
      }
      for (const logging of update.loggingUpdates ?? []) {
        if (!previous.config.loggingOptions.some((l) => l.id === logging.id)) {
          throw resourceNotFound(
            `CloudWatch logging option ${logging.id} does not exist in application ${name}`,
          );
        }
      }
      const runtime = update.runtimeEnvironment ?? previous.config.runtimeEnvironment;
      const code = update.code
        ? await codeConfig(update.code, previous.config.code, runtime, { store: this.store, code: this.code })
        : undefined;
      const config = applyUpdate(previous.config, { ...update, code: undefined }, undefined);
      if (code) config.code = code;
      checkScale(config, this.options);
      const run = runUpdate ? runConfigFrom(runUpdate, app, false, isEnhanced(config)) : undefined;
      if (running && config.snapshotsEnabled) await this.jobs.assertSnapshotPossible(app);
      if (running && run) this.checkRestoreTarget(app, run, config.runtimeEnvironment);

      const version = addVersion(app, config, { updatedFrom: previous.id }, this.now());
      const operation = addOperation(app, 'UpdateApplication', this.now(), {
        from: previous.id,
        to: version.id,
      });
      transition(app, 'UpdateApplication');
      await this.persist(app);
      if (running) {
        this.jobs.restartForUpdate(app, operation, previous, version, run ?? defaultRestartRun(app));
      } else {
        this.jobs.completeConfigurationChange(app, operation, 'READY');
      }
      return { app, operationId: operation.id };
    });
  }

  async startApplication(name: string, run?: RunInput): Promise<string> {
    return this.writes.run(name, async () => {
      const app = this.describeApplication(name);
      assertAllowed('StartApplication', app);
      const version = currentVersion(app);
      if (!version.config.code) {
        throw noCodeError(name);
      }
      const runConfig = runConfigFrom(run ?? {}, app, true, isEnhanced(version.config));
      this.checkRestoreTarget(app, runConfig, version.config.runtimeEnvironment);
      app.runConfig = runConfig;
      const operation = addOperation(app, 'StartApplication', this.now());
      transition(app, 'StartApplication');
      await this.persist(app);
      this.jobs.start(app, operation, runConfig);
      return operation.id;
    });
  }

  async stopApplication(name: string, force: boolean): Promise<string> {
    return this.writes.run(name, async () => {
      const app = this.describeApplication(name);
      if (force) {
        assertAllowed('ForceStopApplication', app);
        const operation = addOperation(app, 'StopApplication', this.now());
        await this.jobs.forceStop(app, operation);
        return operation.id;
      }
      assertAllowed('StopApplication', app);
      if (currentVersion(app).config.snapshotsEnabled) await this.jobs.assertSnapshotPossible(app);
      const operation = addOperation(app, 'StopApplication', this.now());
      transition(app, 'StopApplication');
      await this.persist(app);
      this.jobs.stop(app, operation);
      return operation.id;
    });
  }

  async rollbackApplication(
    name: string,
    currentApplicationVersionId: number,
  ): Promise<{ app: Application; operationId: string }> {
    return this.writes.run(name, async () => {
      const app = this.describeApplication(name);
      checkGuard(app, { currentApplicationVersionId }, true);
      assertAllowed('RollbackApplication', app);
      const current = currentVersion(app);
      const target =
        current.updatedFrom !== undefined
          ? app.versions.find((v) => v.id === current.updatedFrom)
          : undefined;
      if (!target) {
        throw unsupportedOperation(
          `Application ${name} cannot be rolled back: version ${current.id} has no previous version.`,
        );
      }
      checkRollbackMode(name, current, target);
      if (!this.hasRestorableSnapshot(app, target)) {
        throw unsupportedOperation(
          `Application ${name} cannot be rolled back because it has no snapshots. A rollback restores the ` +
            `application's state from its latest successful snapshot.`,
        );
      }
      const operation = addOperation(app, 'RollbackApplication', this.now());
      const version = addRollbackVersion(app, current, target, this.now());
      operation.versionChange = { from: current.id, to: version.id };
      transition(app, 'RollbackApplication');
      await this.jobs.abandonInFlight(app, operation);
      await this.persist(app);
      this.jobs.rollback(app, operation, version);
      return { app, operationId: operation.id };
    });
  }

  async deleteApplication(name: string, createTimestampMs: number): Promise<void> {
    return this.writes.run(name, async () => {
      const app = this.describeApplication(name);
      if (Math.floor(createTimestampMs / 1000) !== Math.floor(app.createdAt / 1000)) {
        throw invalidArgument(
          `CreateTimestamp ${new Date(createTimestampMs).toISOString()} does not match the creation time of ` +
            `application ${name}.`,
        );
      }
      assertAllowed('DeleteApplication', app);
      transition(app, 'DeleteApplication');
      await this.persist(app);
      this.jobs.delete(app);
    });
  }

  // ---------------------------------------------------------------- snapshots

  async createSnapshot(name: string, snapshotName: string): Promise<void> {
    return this.writes.run(name, async () => {
      const app = this.describeApplication(name);
      const config = currentVersion(app).config;
      checkLegacySnapshotOperation(name, config, 'CreateApplicationSnapshot');
      if (!config.snapshotsEnabled) {
        throw snapshotsDisabledError(name);
      }
      assertAllowed('CreateApplicationSnapshot', app);
      if (app.snapshots.some((s) => s.name === snapshotName)) {
        throw resourceInUse(`Snapshot ${snapshotName} already exists for application ${name}.`);
      }
      if (app.snapshots.length >= (this.options.snapshotLimit ?? 1000)) {
        throw limitExceeded(
          `Application ${name} has reached the limit of ${this.options.snapshotLimit ?? 1000} snapshots. ` +
            `Delete snapshots you no longer need and retry.`,
        );
      }
      await this.jobs.assertSnapshotPossible(app);
      const snapshot = this.jobs.newSnapshot(app, snapshotName);
      await this.persist(app);
      this.jobs.takeSnapshot(app, snapshot);
    });
  }

  listSnapshots(name: string): Snapshot[] {
    const app = this.describeApplication(name);
    return [...app.snapshots].sort((a, b) => a.createdAt - b.createdAt || a.sequence - b.sequence);
  }

  describeSnapshot(name: string, snapshotName: string): Snapshot {
    const app = this.describeApplication(name);
    const snapshot = app.snapshots.find((s) => s.name === snapshotName);
    if (!snapshot) throw resourceNotFound(`Snapshot ${snapshotName} does not exist for application ${name}`);
    return snapshot;
  }

  async deleteSnapshot(name: string, snapshotName: string, creationTimestampMs: number): Promise<void> {
    return this.writes.run(name, async () => {
      const app = this.describeApplication(name);
      const snapshot = this.describeSnapshot(name, snapshotName);
      if (Math.floor(creationTimestampMs / 1000) !== Math.floor(snapshot.createdAt / 1000)) {
        throw invalidArgument(
          `SnapshotCreationTimestamp does not match the creation time of snapshot ${snapshotName}.`,
        );
      }
      if (snapshot.status === 'CREATING' || snapshot.status === 'DELETING') {
        throw resourceInUse(`Snapshot ${snapshotName} is ${snapshot.status} and cannot be deleted now.`);
      }
      snapshot.status = 'DELETING';
      await this.persist(app);
      this.jobs.deleteSnapshot(app, snapshot);
    });
  }

  // ---------------------------------------------------------------- versions and operations

  listVersions(name: string): ApplicationVersion[] {
    return [...this.describeApplication(name).versions].sort((a, b) => b.id - a.id);
  }

  describeVersion(name: string, versionId: number): { app: Application; version: ApplicationVersion } {
    const app = this.describeApplication(name);
    const version = app.versions.find((v) => v.id === versionId);
    if (!version) throw resourceNotFound(`Version ${versionId} of application ${name} does not exist`);
    return { app, version };
  }

  listOperations(name: string, filter: { operation?: string; status?: OperationStatus }): Operation[] {
    return [...this.describeApplication(name).operations]
      .filter((op) => !filter.operation || op.name === filter.operation)
      .filter((op) => !filter.status || op.status === filter.status)
      .sort((a, b) => b.startedAt - a.startedAt);
  }

  describeOperation(name: string, operationId: string): Operation {
    const op = this.describeApplication(name).operations.find((o) => o.id === operationId);
    if (!op) throw resourceNotFound(`Operation ${operationId} does not exist for application ${name}`);
    return op;
  }

  // ---------------------------------------------------------------- tags

  listTags(arn: string): { key: string; value: string }[] {
    if (snapshotNameOf(arn) !== undefined) return this.enhancedSnapshots.listTags(arn);
    return this.byArn(arn).tags;
  }

  async tagResource(arn: string, tags: { key: string; value: string }[]): Promise<void> {
    return this.writes.run(applicationNameOfArn(arn), async () => {
      if (snapshotNameOf(arn) !== undefined) return this.enhancedSnapshots.tag(arn, tags);
      const app = this.byArn(arn);
      const merged = [...app.tags];
      for (const tag of tags) {
        const existing = merged.find((t) => t.key === tag.key);
        if (existing) existing.value = tag.value;
        else merged.push({ ...tag });
      }
      checkTags(merged);
      app.tags = merged;
      await this.persist(app);
    });
  }

  async untagResource(arn: string, keys: string[]): Promise<void> {
    return this.writes.run(applicationNameOfArn(arn), async () => {
      if (snapshotNameOf(arn) !== undefined) return this.enhancedSnapshots.untag(arn, keys);
      const app = this.byArn(arn);
      app.tags = app.tags.filter((t) => !keys.includes(t.key));
      await this.persist(app);
    });
  }

  // ---------------------------------------------------------------- other configuration

  async updateMaintenanceWindow(name: string, start: string): Promise<Application> {
    return this.writes.run(name, async () => {
      const app = this.describeApplication(name);
      assertAllowed('UpdateApplicationMaintenanceConfiguration', app);
      app.maintenanceWindowStart = start;
      await this.persist(app);
      return app;
    });
  }

  maintenanceWindow(app: Application): { start: string; end: string } {
    return { start: app.maintenanceWindowStart, end: maintenanceWindowEnd(app.maintenanceWindowStart) };
  }

  async addLoggingOption(
    name: string,
    guard: VersionGuard,
    logStreamArn: string,
  ): Promise<{ app: Application; operationId: string }> {
    return this.writes.run(name, async () => {
      return this.changeResources('AddApplicationCloudWatchLoggingOption', name, guard, (config) => {
        if (config.loggingOptions.some((l) => l.logStreamArn === logStreamArn)) {
          throw invalidArgument(`Log stream ${logStreamArn} is already attached to application ${name}.`);
        }
        const id = nextSubResourceId(config.loggingOptions.map((l) => l.id));
        config.loggingOptions.push({ id, logStreamArn, roleArn: config.serviceExecutionRole });
      });
    });
  }

  async deleteLoggingOption(
    name: string,
    guard: VersionGuard,
    optionId: string,
  ): Promise<{ app: Application; operationId: string }> {
    return this.writes.run(name, async () => {
      return this.changeResources('DeleteApplicationCloudWatchLoggingOption', name, guard, (config) => {
        const index = config.loggingOptions.findIndex((l) => l.id === optionId);
        if (index < 0) throw resourceNotFound(`CloudWatch logging option ${optionId} does not exist`);
        config.loggingOptions.splice(index, 1);
      });
    });
  }

  async addVpcConfiguration(
    name: string,
    guard: VersionGuard,
    vpc: { subnetIds: string[]; securityGroupIds: string[] },
  ): Promise<{ app: Application; operationId: string }> {
    return this.writes.run(name, async () => {
      return this.changeResources('AddApplicationVpcConfiguration', name, guard, (config) => {
        config.vpcConfigurations.push({
          id: nextSubResourceId(config.vpcConfigurations.map((v) => v.id)),
          vpcId: `vpc-${newResourceId().slice(0, 8)}`,
          subnetIds: [...vpc.subnetIds],
          securityGroupIds: [...vpc.securityGroupIds],
        });
      });
    });
  }

  async deleteVpcConfiguration(
    name: string,
    guard: VersionGuard,
    vpcId: string,
  ): Promise<{ app: Application; operationId: string }> {
    return this.writes.run(name, async () => {
      return this.changeResources('DeleteApplicationVpcConfiguration', name, guard, (config) => {
        const index = config.vpcConfigurations.findIndex((v) => v.id === vpcId);
        if (index < 0) throw resourceNotFound(`VPC configuration ${vpcId} does not exist`);
        config.vpcConfigurations.splice(index, 1);
      });
    });
  }

  dashboardUrl(name: string): string {
    const app = this.describeApplication(name);
    assertAllowed('CreateApplicationPresignedUrl', app);
    const url = this.jobs.dashboardUrl(app);
    if (!url) throw resourceInUse(`The Flink dashboard of application ${name} is not available yet.`);
    return url;
  }

  /** Applications whose job is RUNNING (what the metrics publisher reports on). */
  runningApplications(): Application[] {
    return [...this.apps.values()].filter((a) => a.status === 'RUNNING');
  }

  // ---------------------------------------------------------------- helpers

  private async changeResources(
    calledAs: string,
    name: string,
    guard: VersionGuard,
    change: (config: ApplicationConfig) => void,
  ): Promise<{ app: Application; operationId: string }> {
    const app = this.describeApplication(name);
    checkGuard(app, guard, true);
    assertAllowed('ChangeApplicationResources', app, calledAs);
    const previous = currentVersion(app);
    const config = structuredClone(previous.config);
    change(config);
    const version = addVersion(app, config, { updatedFrom: previous.id }, this.now());
    const operation = addOperation(app, 'UpdateApplication', this.now(), {
      from: previous.id,
      to: version.id,
    });
    const steady = app.status;
    transition(app, 'ChangeApplicationResources');
    await this.persist(app);
    this.jobs.completeConfigurationChange(app, operation, steady);
    return { app, operationId: operation.id };
  }

  private checkRestoreTarget(app: Application, run: RunConfig, runtime: string): void {
    if (run.restoreType !== 'RESTORE_FROM_CUSTOM_SNAPSHOT') return;
    if (run.snapshotArn !== undefined)
      return this.enhancedSnapshots.checkRestorable(app, run.snapshotArn, runtime);
    const snapshot = app.snapshots.find((s) => s.name === run.snapshotName);
    if (!snapshot || snapshot.status !== 'READY') {
      throw invalidArgument(
        `Snapshot ${run.snapshotName} does not exist or is not READY for application ${app.name}.`,
      );
    }
  }

  /** What a rollback restores: an application snapshot (legacy), or for an enhanced target an enhanced one too. */
  private hasRestorableSnapshot(app: Application, target: ApplicationVersion): boolean {
    const legacy = app.snapshots.some((s) => s.status === 'READY');
    return legacy || (isEnhanced(target.config) && this.enhancedSnapshots.latest(app) !== undefined);
  }

  private byArn(arn: string): Application {
    for (const app of this.apps.values()) if (app.arn === arn) return app;
    throw resourceNotFound(`Resource ${arn} does not exist`);
  }

  private async persist(app: Application): Promise<void> {
    if (this.apps.get(app.name) !== app) return;
    await this.store.save(app);
  }

  private async forget(name: string): Promise<void> {
    this.apps.delete(name);
    await this.store.remove(name);
  }
}

function noCodeError(name: string) {
  return invalidApplicationConfiguration(
    `Application ${name} has no application code configured; update it with code first.`,
  );
}

function snapshotsDisabledError(name: string) {
  return invalidRequest(
    `Snapshots are disabled for application ${name}. Enable them with ApplicationSnapshotConfigurationUpdate first.`,
  );
}
