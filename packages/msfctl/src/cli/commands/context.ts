/**
 * What every command starts from: the global options parsed into a spec (when there is one), a target,
 * SDK clients, the MSF gateway, the state store and the output host. Built once per command run.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { isDynamicPattern } from 'tinyglobby';
import type { AwsClients } from '../../adapters/aws/clients.js';
import type { OpenedTarget } from '../../adapters/targets/open-target.js';
import { type MsfGateway } from '../../ports/msf.js';
import { resolveTarget, type ResolvedTarget } from '../../adapters/targets/target.js';
import { MsfctlError } from '../../model/errors.js';
import { createHost } from '../../adapters/io/terminal-host.js';
import { type IoHost } from '../../ports/io-host.js';
import type { LoadSpecOptions, LoadedSpec, SpecOverrides } from '../../spec/load.js';
import type { ObjectStore } from '../../ports/object-store.js';

export interface GlobalOptions {
  /** -f, repeatable: one spec file, or (plan, apply, status, health) a fleet's files, directories and globs. */
  file?: string[];
  tfvars?: string;
  env?: string;
  app?: string;
  region?: string;
  profile?: string;
  endpointUrl?: string;
  target?: 'aws' | 'local';
  role?: string;
  state?: string;
  json?: boolean;
  color?: boolean;
  jar?: string;
  maven?: string;
}

export interface CommandContext {
  host: IoHost;
  spec: LoadedSpec | undefined;
  /** '' for an account-level command run without an application. */
  application: string;
  /** The resolved target (what the user asked for) and its ports. */
  resolved: ResolvedTarget;
  ports: OpenedTarget;
  clients: AwsClients;
  gateway: MsfGateway;
  state: ObjectStore;
  close(): void;
}

export function hostFor(options: GlobalOptions): IoHost {
  return createHost({ json: options.json ?? false, ...(options.color === false ? { color: false } : {}) });
}

export function specOverrides(options: GlobalOptions): SpecOverrides {
  return {
    ...(options.role ? { role: options.role } : {}),
    ...(options.target ? { targetKind: options.target } : {}),
    ...(options.jar
      ? { code: { jar: options.jar } }
      : options.maven
        ? { code: { maven: options.maven } }
        : {}),
  };
}

/** The one spec file -f names, for the commands about one application; a fleet is refused here. */
export function singleSpecFile(options: GlobalOptions): string | undefined {
  const files = options.file ?? [];
  if (files.length > 1 || files.some((f) => isFleetSource(f))) {
    throw new MsfctlError(
      'USAGE',
      `This command works on one spec; -f names a fleet (${files.join(', ')}).`,
      {
        hint: 'plan, apply, status and health take a fleet (a directory, a glob, -f repeated); other commands one spec file.',
      },
    );
  }
  return files[0];
}

/** A directory or a glob pattern: the sources of a fleet. */
export function isFleetSource(source: string): boolean {
  return isDirectory(path.resolve(source)) || (!existsSync(source) && isDynamicPattern(source));
}

/** -f names a fleet: several sources, a directory or a glob. */
export function isFleet(options: GlobalOptions): boolean {
  const files = options.file ?? [];
  return files.length > 1 || files.some((f) => isFleetSource(f));
}

function isDirectory(file: string): boolean {
  try {
    return statSync(file).isDirectory();
  } catch {
    return false;
  }
}

/** Reads the spec. spec/load (zod, yaml) is imported here, on use: `--version` and `--help` need neither. */
export async function loadSpecFrom(options: GlobalOptions): Promise<LoadedSpec> {
  const { loadSpec } = await import('../../spec/load.js');
  return loadSpec(specLoadOptions(options));
}

/** What loadSpec needs to read the one spec the global options name. */
export function specLoadOptions(options: GlobalOptions): LoadSpecOptions {
  const file = singleSpecFile(options);
  return {
    ...(file ? { file } : {}),
    ...(options.tfvars ? { tfvars: options.tfvars } : {}),
    ...(options.env ? { environment: options.env } : {}),
    overrides: specOverrides(options),
  };
}

export interface ContextNeeds {
  /** The command needs the whole spec (plan, apply); otherwise only an application name. */
  spec: 'required' | 'optional';
  /** Application named on the command line (import APP, status APP). */
  application?: string;
  /** Where to talk to when no spec says (a saved plan records its target). */
  target?: { kind?: 'aws' | 'local'; region?: string; endpoint?: string };
  /** The command is about the account (its enhanced snapshots): no application is needed (then ''). */
  accountLevel?: boolean;
  /** The command only reads (status, history, health, snapshot list): it never starts msf-local. */
  readOnly?: boolean;
}

export async function openContext(
  options: GlobalOptions,
  needs: ContextNeeds,
  host: IoHost = hostFor(options),
): Promise<CommandContext> {
  const { findSpecFile } = await import('../../spec/load.js');
  const hasSpecSource = Boolean(options.file?.length || options.tfvars || findSpecFile(process.cwd()));
  const named = needs.application ?? options.app;
  let spec: LoadedSpec | undefined;
  let project: { target: LoadedSpec['spec']['target']; state?: string; baseDir: string } | undefined;
  if (needs.spec === 'required') spec = await loadSpecFrom(options);
  else if (hasSpecSource) {
    try {
      spec = await loadSpecFrom(options);
    } catch (error) {
      // A broken spec in the directory must not block a command about a named application.
      if (!named) throw error;
    }
    // A spec for another application says nothing about the named one, except where the project runs: its
    // target and state location (a lifecycle command for another application of the project talks to the same
    // endpoint; without them it would fall back to AWS defaults and answer "no AWS region is set").
    if (spec && named && spec.spec.application !== named) {
      project = {
        target: spec.spec.target,
        ...(spec.spec.state ? { state: spec.spec.state } : {}),
        baseDir: spec.baseDir,
      };
      spec = undefined;
    }
  }
  for (const warning of spec?.warnings ?? [])
    host.notify({ level: 'warn', code: 'MSF_SPEC_W1001', text: warning });
  const application = needs.application ?? options.app ?? spec?.spec.application ?? '';
  if (!application && !needs.accountLevel) {
    throw new MsfctlError('USAGE', 'Which application? No spec here and no application named.', {
      hint: 'Run in a directory with msfctl.yaml, pass -f FILE / --tfvars FILE, or name it with --app NAME.',
    });
  }
  const targetSpec =
    spec?.spec.target ??
    project?.target ??
    (options.target
      ? { kind: options.target }
      : needs.target
        ? { kind: needs.target.kind ?? 'aws' }
        : undefined);
  const fromPlan =
    !spec && needs.target
      ? {
          ...(needs.target.region ? { region: needs.target.region } : {}),
          ...(needs.target.endpoint ? { endpointUrl: needs.target.endpoint } : {}),
        }
      : {};
  const flags = {
    ...fromPlan,
    ...(options.region ? { region: options.region } : {}),
    ...(options.profile ? { profile: options.profile } : {}),
    ...(options.endpointUrl ? { endpointUrl: options.endpointUrl } : {}),
  };
  const resolved = resolveTarget(targetSpec, flags);
  // Loaded here, not at start-up: they bring the AWS SDK clients, which `--version` and `--help` never need.
  const [{ openTarget }, { openStateStore }] = await Promise.all([
    import('../../adapters/targets/open-target.js'),
    import('../../adapters/state/open-state.js'),
  ]);
  const ports = await openTarget(resolved, host, { startLocal: !needs.readOnly });
  const clients = ports.clients;
  const stateLocation = options.state ?? process.env.MSFCTL_STATE ?? spec?.spec.state ?? project?.state;
  const state = openStateStore(
    stateLocation,
    spec?.baseDir ?? project?.baseDir ?? process.cwd(),
    () => clients.s3,
  );
  return {
    host,
    spec,
    application,
    resolved,
    ports,
    clients,
    gateway: ports.gateway,
    state,
    close: () => ports.close(),
  };
}
