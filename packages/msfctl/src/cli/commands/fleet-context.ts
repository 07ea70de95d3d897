/**
 * What a fleet command starts from: the spec set, and for each loaded spec its target's ports (opened once per
 * distinct target and shared: one set of SDK clients, one rate limiter against one account), its state store
 * and its own prefixed host. A target that cannot be opened fails its applications, not the run.
 */
import { openTarget, type OpenedTarget } from '../../adapters/targets/open-target.js';
import { resolveTarget, type ResolvedTarget } from '../../adapters/targets/target.js';
import { openStateStore } from '../../adapters/state/open-state.js';
import { prefixedHost } from '../../adapters/io/prefixed-host.js';
import { MsfctlError } from '../../model/errors.js';
import type { IoHost } from '../../ports/io-host.js';
import type { ObjectStore } from '../../ports/object-store.js';
import type { LoadedSpec } from '../../spec/load.js';
import { loadSpecSet, type SpecSet } from '../../spec/spec-set.js';
import { specOverrides, type GlobalOptions } from './context.js';

/** Attempts per SDK call in a fleet: adaptive retry needs room to back off under throttling. */
export const FLEET_MAX_ATTEMPTS = 8;

export interface FleetMember {
  file: string;
  application: string;
  spec: LoadedSpec;
  host: IoHost;
  /** The target's ports, or why it could not be opened. */
  open(): Promise<{ ports: OpenedTarget; state: ObjectStore }>;
}

export interface FleetContext {
  set: SpecSet;
  members: FleetMember[];
  close(): void;
}

/** Opened targets by resolved target: one per distinct target, kept across the controller's passes. */
export type TargetCache = Map<string, Promise<OpenedTarget>>;

export function openFleet(
  options: GlobalOptions,
  host: IoHost,
  targets: TargetCache = new Map(),
  /** status, health, list: a local target's msf-local is never started for them. */
  { readOnly = false }: { readOnly?: boolean } = {},
): FleetContext {
  const set = loadSpecSet({
    sources: options.file ?? [],
    ...(options.env ? { environment: options.env } : {}),
    overrides: specOverrides(options),
  });
  const flags = {
    ...(options.region ? { region: options.region } : {}),
    ...(options.profile ? { profile: options.profile } : {}),
    ...(options.endpointUrl ? { endpointUrl: options.endpointUrl } : {}),
  };
  const opened: Promise<OpenedTarget>[] = [];
  const targetFor = (resolved: ResolvedTarget): Promise<OpenedTarget> => {
    const key = JSON.stringify(resolved);
    let target = targets.get(key);
    if (!target) {
      target = openTarget(resolved, host, {
        clients: { maxAttempts: FLEET_MAX_ATTEMPTS },
        ...(readOnly ? { startLocal: false } : {}),
      });
      target.catch(() => undefined);
      targets.set(key, target);
      opened.push(target);
    }
    return target;
  };
  const members = set.loaded.map((spec): FleetMember => {
    const application = spec.spec.application;
    return {
      file: spec.source.path,
      application,
      spec,
      host: prefixedHost(host, application),
      async open() {
        let resolved: ResolvedTarget;
        try {
          resolved = resolveTarget(spec.spec.target, flags);
        } catch (error) {
          if (MsfctlError.is(error)) throw error;
          throw new MsfctlError('USAGE', String(error));
        }
        const ports = await targetFor(resolved);
        const location = options.state ?? process.env.MSFCTL_STATE ?? spec.spec.state;
        return { ports, state: openStateStore(location, spec.baseDir, () => ports.clients.s3) };
      },
    };
  });
  return {
    set,
    members,
    close: () => {
      for (const target of opened) void target.then((t) => t.close()).catch(() => undefined);
    },
  };
}
