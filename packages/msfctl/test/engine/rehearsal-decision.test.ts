/** Which plans are rehearsed, on which state: the decision over plans the real planner makes. */
import { describe, expect, it } from 'vitest';
import { planChanges } from '../../src/engine/planner.js';
import { decideRehearsal } from '../../src/engine/preflight/rehearsal-decision.js';
import type { DesiredApplication, LiveApplication, SnapshotInfo } from '../../src/model/application.js';
import type { Plan } from '../../src/model/plan.js';
import { rehearsalSettings } from '../../src/model/rehearsal.js';
import { config, desired, live, snapshot } from '../unit/fixtures.js';

const auto = rehearsalSettings(undefined, undefined);
const newCode = { code: { bucket: 'artifacts', key: 'msfctl/artifacts/bbb.jar' } };

function decide(
  want: DesiredApplication,
  have: LiveApplication | undefined,
  snapshots: SnapshotInfo[] = [],
  settings = auto,
) {
  const planned = planChanges({ desired: want, live: have, snapshots, kpuQuota: 64 });
  const plan = { ...planned, desired: want } as unknown as Plan;
  return decideRehearsal(plan, have, snapshots, settings);
}

describe('rehearsal decision', () => {
  it('an update of the running job restoring "latest": a fresh snapshot, with the update’s restore settings', () => {
    const d = decide(desired({ restore: { from: 'latest', allowNonRestoredState: true } }, newCode), live());
    expect(d).toMatchObject({
      rehearse: true,
      state: { source: 'fresh' },
      run: { allowNonRestoredState: true },
    });
  });

  it('a restore from a named snapshot: that snapshot (even for a change that keeps the graph)', () => {
    const snaps = [snapshot('good', 1), snapshot('newer', 2)];
    const d = decide(
      desired({
        restore: { from: 'snapshot', snapshot: 'good', allowNonRestoredState: false },
        running: true,
      }),
      live({ status: 'READY' }),
      snaps,
    );
    expect(d).toMatchObject({
      rehearse: true,
      state: { source: 'snapshot', snapshot: 'good', enhanced: false },
    });
  });

  it('a start of a stopped application with a new JAR: the newest snapshot, which that start restores', () => {
    const d = decide(desired({}, newCode), live({ status: 'READY' }), [
      snapshot('old', 1),
      snapshot('new', 5),
    ]);
    expect(d).toMatchObject({ rehearse: true, state: { source: 'snapshot', snapshot: 'new' } });
  });

  it('nothing to rehearse: a new application, restore "none", a stopped one without snapshots, off', () => {
    expect(decide(desired({}, newCode), undefined)).toMatchObject({ rehearse: false });
    expect(
      decide(desired({ restore: { from: 'none', allowNonRestoredState: false } }, newCode), live()),
    ).toMatchObject({ rehearse: false, why: expect.stringContaining('restored state') });
    expect(decide(desired({}, newCode), live({ status: 'READY' }), [])).toMatchObject({
      rehearse: false,
    });
    expect(
      decide(desired({}, newCode), live(), [], rehearsalSettings(undefined, { rehearse: 'off' })),
    ).toEqual({ rehearse: false, why: 'deploy.rehearse is off' });
  });

  it('a change that cannot touch the graph is rehearsed only when asked for', () => {
    const logs = desired({}, { monitoring: { ...config().monitoring, logLevel: 'WARN' } });
    expect(decide(logs, live())).toMatchObject({ rehearse: false });
    expect(decide(logs, live(), [], rehearsalSettings(true, undefined))).toMatchObject({
      rehearse: true,
      state: { source: 'fresh' },
    });
  });
});
