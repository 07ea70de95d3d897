/**
 * What msfctl reads of one application for the dashboard, through the ports: the service (describe,
 * operations, snapshots, versions), its ledger and lock, and — while the job runs — a health verdict from
 * CloudWatch. The fleet page reads the cheap part; the application page also versions and operation details.
 */
import type {
  LiveApplication,
  OperationInfo,
  SnapshotInfo,
  VersionSummary,
} from '../../model/application.js';
import { withEvidence, type HealthCheck } from '../../model/health.js';
import type { Ledger } from '../../model/ledger.js';
import type { LockHolder } from '../../model/errors.js';
import { systemClock, type Clock } from '../../ports/clock.js';
import type { ExceptionSource } from '../../ports/exceptions.js';
import type { HealthFetcher } from '../../ports/metrics.js';
import type { MsfGateway } from '../../ports/msf.js';
import type { ObjectStore } from '../../ports/object-store.js';
import { currentJobBaseline } from '../../engine/health/current-job.js';
import { checkHealth } from '../health/health-check.js';
import { readLedger } from '../state/ledger-store.js';
import { lockLiveness, readLock } from '../state/lock.js';
import type { SpecSide } from './spec-diff.js';

/** A spec the dashboard shows, with the application it names (for a broken file, the name it was given). */
export interface ManagedSpec extends SpecSide {
  application: string;
}

export interface AppFacts {
  name: string;
  spec?: ManagedSpec;
  live?: LiveApplication;
  /** Newest first. */
  operations: OperationInfo[];
  /** The application page only. */
  versions: VersionSummary[];
  snapshots: SnapshotInfo[];
  ledger?: Ledger;
  lock?: LockHolder & { state: ReturnType<typeof lockLiveness> };
  /** While the job runs. */
  health?: HealthCheck;
  logsAvailable: boolean;
  /** What could not be read. */
  error?: string;
}

export interface FactPorts {
  gateway: MsfGateway;
  metrics: HealthFetcher;
  exceptions?: ExceptionSource;
  stateFor(application: string, spec: ManagedSpec | undefined): ObjectStore;
  /** Whether the application has logs to show (its CloudWatch logging options). */
  hasLogs?(live: LiveApplication): boolean;
  clock?: Clock;
  /** Health verdicts by application, reused for HEALTH_MEMO_MS (the source keeps one for its life). */
  healthMemo?: Map<string, { job: string; check: HealthCheck }>;
}

/** How long a health verdict stands for the same job: a few of the target's metric periods, at most. */
export const HEALTH_MEMO_MS = 5000;

/** Operations read for the fleet (the last one, drift since msfctl last acted) and for the page's timeline. */
const OPERATIONS = { row: 10, page: 30 };

export async function readFacts(
  ports: FactPorts,
  name: string,
  spec: ManagedSpec | undefined,
  options: { page: boolean; signal: AbortSignal },
): Promise<AppFacts> {
  const { gateway } = ports;
  const { signal } = options;
  signal.throwIfAborted();
  const store = ports.stateFor(name, spec);
  const facts: AppFacts = {
    name,
    ...(spec ? { spec } : {}),
    operations: [],
    versions: [],
    snapshots: [],
    logsAvailable: false,
  };
  const problems: string[] = [];
  const noted =
    <T>(what: string, fallback: T) =>
    (error: unknown): T => {
      problems.push(`${what}: ${(error as Error)?.message ?? String(error)}`);
      return fallback;
    };
  const [live, ledger, lock] = await Promise.all([
    gateway.describe(name).catch(noted('DescribeApplication', undefined)),
    readLedger(store, name).then((r) => (r.revision ? r.ledger : undefined), noted('the ledger', undefined)),
    readLock(store, name).catch(noted('the lock', undefined)),
  ]);
  signal.throwIfAborted();
  if (ledger) facts.ledger = ledger;
  if (lock) facts.lock = { ...lock, state: lockLiveness(lock) };
  if (live) {
    facts.live = live;
    facts.logsAvailable = ports.hasLogs?.(live) ?? false;
    const [operations, snapshots, versions] = await Promise.all([
      gateway
        .listOperations(name, options.page ? OPERATIONS.page : OPERATIONS.row)
        .catch(noted('ListApplicationOperations', [])),
      gateway.listSnapshots(name).catch(noted('the snapshots', [])),
      options.page ? gateway.listVersions(name).catch(noted('ListApplicationVersions', [])) : [],
    ]);
    signal.throwIfAborted();
    // Versions and errors are only in an operation's details (DescribeApplicationOperation).
    facts.operations = options.page
      ? await Promise.all(operations.map((op) => gateway.describeOperation(name, op.id).catch(() => op)))
      : operations;
    facts.snapshots = snapshots;
    facts.versions = versions;
    if (live.status === 'RUNNING')
      facts.health = await health(ports, name, live, facts.operations, options.page);
    signal.throwIfAborted();
  }
  if (problems.length) facts.error = `could not read ${problems.join('; ')}`;
  return facts;
}

/**
 * The on-demand check over the current job (msfctl health's rules), remembered for `HEALTH_MEMO_MS` per job so
 * that the fleet row and the application page opened from it tell the same verdict, and a page load costs no
 * second metrics read. The page adds the job's latest exception to an unhealthy verdict.
 */
async function health(
  ports: FactPorts,
  name: string,
  live: LiveApplication,
  operations: readonly OperationInfo[],
  page: boolean,
): Promise<HealthCheck> {
  const now = (ports.clock ?? systemClock).now();
  const job = `${live.versionId}:${operations[0]?.id ?? ''}`;
  const memo = ports.healthMemo?.get(name);
  let check =
    memo && memo.job === job && now - memo.check.checkedAt < HEALTH_MEMO_MS ? memo.check : undefined;
  if (!check) {
    check = await checkHealth({
      application: name,
      fetcher: ports.metrics,
      ...(ports.clock ? { clock: ports.clock } : {}),
      baseline: (at, windowMs) => currentJobBaseline(operations, at, windowMs),
    });
    ports.healthMemo?.set(name, { job, check });
  }
  if (
    !page ||
    !ports.exceptions ||
    check.result.status !== 'unhealthy' ||
    !(check.result.facts?.restarts ?? 0)
  )
    return check;
  const lookup = await ports.exceptions.latest(name);
  if (!('found' in lookup)) return check;
  const message = `latest exception: ${lookup.found.rootCause ?? lookup.found.summary}`;
  return {
    ...check,
    result: withEvidence(check.result, { signal: 'exception', message }),
    exception: lookup.found,
  };
}
