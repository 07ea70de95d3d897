/**
 * The enhanced-snapshot domain on its own (no server, no Flink): applications and S3 are in-memory stand-ins
 * whose savepoints and uploads wait for the test, so the orderings that a real run leaves to chance are
 * checked deterministically: one CreateSnapshot per application, one export per snapshot, a delete waiting
 * for an export, `_metadata` written last, what a restart does to work in flight, operation retention.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_CHECKPOINT,
  DEFAULT_MONITORING,
  DEFAULT_PARALLELISM,
} from '../../src/control-plane/configuration.js';
import type { Application } from '../../src/control-plane/model.js';
import { EnhancedSnapshots } from '../../src/control-plane/snapshots/enhanced-snapshots.js';
import type { SnapshotObjectStore } from '../../src/control-plane/snapshots/savepoint-transfer.js';
import { fakeSavepointMetadata } from '../support/fake-job-runtime.js';

const ROLE = 'arn:aws:iam::000000000000:role/transfer';
const DAY = 24 * 3600 * 1000;

/** A promise the test settles. */
function gate<T = void>() {
  let open!: (value: T) => void;
  let fail!: (error: Error) => void;
  const promise = new Promise<T>((resolve, reject) => {
    open = resolve;
    fail = reject;
  });
  return { promise, open, fail };
}

class MemoryObjects implements SnapshotObjectStore {
  readonly objects = new Map<string, Buffer>();
  readonly uploads: string[] = [];
  uploadGate?: Promise<void>;

  bucketRegion(bucketArn: string) {
    return bucketArn === 'arn:aws:s3:::bucket' ? 'us-east-1' : undefined;
  }
  async list(_bucketArn: string, prefix: string) {
    return [...this.objects]
      .filter(([k]) => k.startsWith(prefix))
      .map(([key, b]) => ({ key, size: b.length }));
  }
  async download(_bucketArn: string, key: string, file: string) {
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, this.objects.get(key)!);
  }
  async upload(_bucketArn: string, key: string, file: string) {
    await this.uploadGate;
    this.uploads.push(key);
    this.objects.set(key, await fs.readFile(file));
  }
}

let dataDir: string;
let now: number;
let objects: MemoryObjects;
let savepoints: ReturnType<typeof gate<string>>[];
let service: EnhancedSnapshots;
const app: Application = {
  name: 'app',
  arn: 'arn:aws:kinesisanalytics:us-east-1:000000000000:application/app',
  region: 'us-east-1',
  createdAt: 1_700_000_000_000,
  lastUpdatedAt: 1_700_000_000_000,
  status: 'RUNNING',
  currentVersionId: 1,
  versions: [
    {
      id: 1,
      createdAt: 1_700_000_000_000,
      status: 'READY',
      conditionalToken: 't',
      config: {
        description: '',
        runtimeEnvironment: 'FLINK-1_20',
        serviceExecutionRole: 'arn:aws:iam::000000000000:role/app',
        mode: 'STREAMING',
        checkpoint: DEFAULT_CHECKPOINT,
        monitoring: DEFAULT_MONITORING,
        parallelism: DEFAULT_PARALLELISM,
        snapshotsEnabled: true,
        systemRollbackEnabled: false,
        vpcConfigurations: [],
        loggingOptions: [],
        snapshotMode: 'ENHANCED_SNAPSHOTS',
      },
    },
  ],
  operations: [],
  snapshots: [],
  tags: [],
  maintenanceWindowStart: '03:00',
  snapshotSequence: 0,
};

/** A savepoint directory the way Flink leaves one, inside the test's data dir. */
async function savepointDir(name: string): Promise<string> {
  const dir = path.join(dataDir, 'applications', 'app', 'snapshots', name);
  await fs.mkdir(path.join(dir, 'chk'), { recursive: true });
  await fs.writeFile(path.join(dir, 'chk', 'state-0'), 'state');
  await fs.writeFile(path.join(dir, '_metadata'), fakeSavepointMetadata(name));
  return dir;
}

function open(): EnhancedSnapshots {
  return new EnhancedSnapshots({
    dataDir,
    applications: {
      get: () => app,
      assertSnapshotPossible: async () => undefined,
      savepoint: () => {
        const next = gate<string>();
        savepoints.push(next);
        return next.promise;
      },
    },
    objects,
    account: '000000000000',
    now: () => now,
    log: () => undefined,
  });
}

/** Waits until `check` holds (background work settles in its own time, slower on a loaded machine). */
async function eventually(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

function exists(name: string): boolean {
  try {
    service.describe(name);
    return true;
  } catch {
    return false;
  }
}

beforeEach(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'msf-local-enhanced-'));
  now = Date.UTC(2026, 11, 1, 12);
  objects = new MemoryObjects();
  savepoints = [];
  service = open();
  await service.open();
});
afterEach(async () => {
  for (const s of savepoints) s.fail(new Error('test over'));
  await service.close();
  await fs.rm(dataDir, { recursive: true, force: true });
});

async function createReady(name: string) {
  const { snapshot } = await service.create({ applicationName: 'app', name }, 'us-east-1');
  savepoints.at(-1)!.open(await savepointDir(name));
  await eventually(() => snapshot.status === 'READY', `${name} is READY`);
  return snapshot;
}

describe('CreateSnapshot', () => {
  it('allows one in progress per application, then moves the savepoint into the snapshot', async () => {
    const { snapshot, operation } = await service.create(
      { applicationName: 'app', name: 'one' },
      'us-east-1',
    );
    expect([snapshot.status, operation.status]).toEqual(['CREATING', 'IN_PROGRESS']);
    await expect(service.create({ applicationName: 'app', name: 'two' }, 'us-east-1')).rejects.toMatchObject({
      code: 'ConcurrentModificationException',
    });
    const taken = await savepointDir('one');
    savepoints[0]!.open(taken);
    await eventually(() => service.describe('one').status !== 'CREATING', 'the snapshot settles');
    expect(service.describe('one')).toMatchObject({ status: 'READY', sizeBytes: 8 + 3 + 5 });
    await expect(fs.access(taken)).rejects.toThrow(); // moved, not copied
    expect(
      service.restorePath(app, { restoreType: 'RESTORE_FROM_LATEST_SNAPSHOT', allowNonRestoredState: false }),
    ).toBe(path.join(dataDir, 'snapshots', service.describe('one').id));
    await expect(service.create({ applicationName: 'app', name: 'two' }, 'us-east-1')).resolves.toBeDefined();
  });

  it('fails the snapshot with the reason when the savepoint fails; the name stays taken until deleted', async () => {
    const { snapshot, operation } = await service.create(
      { applicationName: 'app', name: 'broken' },
      'us-east-1',
    );
    savepoints[0]!.fail(
      new Error('org.apache.flink.runtime.checkpoint.CheckpointException: Task not running'),
    );
    await eventually(() => snapshot.status !== 'CREATING', 'the snapshot settles');
    expect(snapshot.status).toBe('FAILED');
    expect(operation).toMatchObject({
      status: 'FAILED',
      failure: { errorCode: 'SavepointFailed', errorString: expect.stringContaining('Task not running') },
    });
    await expect(
      service.create({ applicationName: 'app', name: 'broken' }, 'us-east-1'),
    ).rejects.toMatchObject({
      code: 'ResourceInUseException',
    });
    await service.delete('broken', snapshot.createdAt);
    await eventually(() => !exists('broken'), 'broken is deleted');
    await expect(
      service.create({ applicationName: 'app', name: 'broken' }, 'us-east-1'),
    ).resolves.toBeDefined();
  });
});

describe('restores by SnapshotArn', () => {
  it('need a READY snapshot of the same Region, taken on the same or an older Flink', async () => {
    const here = await createReady('here');
    expect(() => service.checkRestorable(app, here.arn, 'FLINK-1_20')).not.toThrow();
    expect(() => service.checkRestorable(app, here.arn, 'FLINK-1_19')).toThrow(/newer Apache Flink/);
    expect(() => service.checkRestorable(app, `${here.arn}-nothing`, 'FLINK-1_20')).toThrow(/does not exist/);
    const { snapshot: elsewhere } = await service.create(
      { applicationName: 'app', name: 'elsewhere' },
      'eu-west-1',
    );
    savepoints.at(-1)!.open(await savepointDir('elsewhere'));
    await eventually(() => elsewhere.status === 'READY', 'elsewhere is READY');
    expect(elsewhere.arn).toContain(':eu-west-1:');
    expect(() => service.checkRestorable(app, elsewhere.arn, 'FLINK-1_20')).toThrow(/not in the Region/);
  });
});

describe('ExportSnapshot', () => {
  it('runs one export per snapshot, writes _metadata last, and a delete waits for it', async () => {
    const snapshot = await createReady('exported');
    const uploads = gate();
    objects.uploadGate = uploads.promise;
    const first = await service.transfers.export('exported', {
      bucketArn: 'arn:aws:s3:::bucket',
      keyPrefix: 'out/',
      roleArn: ROLE,
    });
    await expect(
      service.transfers.export('exported', {
        bucketArn: 'arn:aws:s3:::bucket',
        keyPrefix: 'again/',
        roleArn: ROLE,
      }),
    ).rejects.toMatchObject({ code: 'LimitExceededException' });
    const deleting = await service.delete('exported', snapshot.createdAt);
    expect(deleting.snapshot.status).toBe('DELETING');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(service.describe('exported').status).toBe('DELETING'); // the export is held, so is the delete
    uploads.open();
    await eventually(() => !exists('exported'), 'the snapshot is deleted after its export');
    expect(first.status).toBe('SUCCESSFUL');
    expect(objects.uploads).toEqual([`out/${first.id}/chk/state-0`, `out/${first.id}/_metadata`]);
    expect(() => service.describe('exported')).toThrow(
      expect.objectContaining({ code: 'ResourceNotFoundException' }),
    );
  });
});

describe('ImportSnapshot', () => {
  it('refuses object keys that would leave the savepoint directory', async () => {
    objects.objects.set('in/_metadata', fakeSavepointMetadata('x'));
    objects.objects.set('in/../escape', Buffer.from('x'));
    const { snapshot, operation } = await service.transfers.import(
      { name: 'escaping', source: { bucketArn: 'arn:aws:s3:::bucket', keyPrefix: 'in/', roleArn: ROLE } },
      'us-east-1',
    );
    await eventually(() => snapshot.status !== 'CREATING', 'the import settles');
    expect(snapshot.status).toBe('FAILED');
    expect(operation.failure).toMatchObject({
      errorCode: 'InvalidSavepoint',
      errorString: expect.stringContaining('in/../escape'),
    });
    await expect(fs.access(path.join(dataDir, 'snapshots', 'escape'))).rejects.toThrow();
  });
});

describe('a restart of msf-local', () => {
  it('fails the snapshot whose savepoint was in flight, keeps the others, and removes stray savepoint files', async () => {
    await createReady('kept');
    await service.create({ applicationName: 'app', name: 'in-flight' }, 'us-east-1');
    await fs.mkdir(path.join(dataDir, 'snapshots', 'stray'), { recursive: true });

    const restarted = open();
    await restarted.open();
    expect(restarted.describe('kept').status).toBe('READY');
    expect(restarted.describe('in-flight')).toMatchObject({
      status: 'FAILED',
      operations: [{ status: 'FAILED', failure: { errorCode: 'Interrupted' } }],
    });
    await expect(fs.access(path.join(dataDir, 'snapshots', 'stray'))).rejects.toThrow();
    await fs.access(path.join(dataDir, 'snapshots', restarted.describe('kept').id, '_metadata'));
    await restarted.close();
  });
});

describe('the operation log', () => {
  it('keeps operations for 90 days', async () => {
    await createReady('old');
    expect(service.listOperations('old', {})).toHaveLength(1);
    now += 91 * DAY;
    expect(service.listOperations('old', {})).toEqual([]);
    expect(service.describe('old').status).toBe('READY');
  });
});
