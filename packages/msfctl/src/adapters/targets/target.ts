/**
 * Where msfctl talks to: region, profile and endpoint from flags, then the spec, then the standard AWS
 * environment (AWS_REGION, AWS_PROFILE, AWS_ENDPOINT_URL). A `local` target is msf-local on this machine.
 */
import os from 'node:os';
import path from 'node:path';
import { MsfctlError } from '../../model/errors.js';
import type { TargetSpec } from '../../spec/schema.js';

export const DEFAULT_LOCAL_PORT = 4577;
export const LOCAL_REGION = 'us-east-1';

export interface TargetFlags {
  region?: string;
  profile?: string;
  endpointUrl?: string;
}

export interface ResolvedTarget {
  kind: 'aws' | 'local';
  /** Undefined: left to the SDK (profile config). */
  region?: string;
  profile?: string;
  endpoint?: string;
  /** local only: how to start msf-local when it is not running. */
  local?: { port: number; dataDir: string };
}

export function defaultLocalDataDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.MSF_LOCAL_DATA_DIR ?? path.join(os.homedir(), '.msf-local');
}

export function resolveTarget(
  spec: TargetSpec | undefined,
  flags: TargetFlags,
  env: NodeJS.ProcessEnv = process.env,
): ResolvedTarget {
  const kind = spec?.kind ?? 'aws';
  checkEndpoint(flags.endpointUrl, '--endpoint-url');
  if (kind === 'aws' && flags.endpointUrl === undefined && spec?.endpoint === undefined)
    checkEndpoint(env.AWS_ENDPOINT_URL, 'AWS_ENDPOINT_URL');
  if (kind === 'local') {
    const port = spec?.port ?? DEFAULT_LOCAL_PORT;
    return {
      kind,
      region: flags.region ?? spec?.region ?? LOCAL_REGION,
      endpoint: flags.endpointUrl ?? spec?.endpoint ?? `http://127.0.0.1:${port}`,
      local: { port, dataDir: spec?.dataDir ?? defaultLocalDataDir(env) },
    };
  }
  const region = flags.region ?? spec?.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  const profile = flags.profile ?? spec?.profile ?? env.AWS_PROFILE;
  const endpoint = flags.endpointUrl ?? spec?.endpoint ?? env.AWS_ENDPOINT_URL;
  return {
    kind,
    ...(region ? { region } : {}),
    ...(profile ? { profile } : {}),
    ...(endpoint ? { endpoint } : {}),
  };
}

/** An endpoint the SDK would reject later with a bare "Invalid URL": say which setting is wrong now. */
function checkEndpoint(value: string | undefined, source: string): void {
  if (value === undefined) return;
  let protocol: string | undefined;
  try {
    protocol = new URL(value).protocol;
  } catch {
    protocol = undefined;
  }
  if (protocol !== 'http:' && protocol !== 'https:') {
    throw new MsfctlError('USAGE', `${source} ${JSON.stringify(value)} is not an http(s) URL.`, {
      hint: 'Give the full URL, e.g. http://127.0.0.1:4577 for msf-local or https://kinesisanalytics.eu-west-1.amazonaws.com.',
    });
  }
}

export function describeTarget(target: ResolvedTarget): string {
  if (target.kind === 'local') return `msf-local at ${target.endpoint}`;
  return [
    target.endpoint ?? 'AWS',
    target.region ? `region ${target.region}` : undefined,
    target.profile ? `profile ${target.profile}` : undefined,
  ]
    .filter(Boolean)
    .join(', ');
}

/** The spec's `target` that finds this target again (import writes it). */
export function specTarget(target: ResolvedTarget): string | Record<string, unknown> {
  if (target.kind === 'local') return localTarget(target);
  return {
    ...(target.region ? { region: target.region } : {}),
    ...(target.profile ? { profile: target.profile } : {}),
    ...(target.endpoint ? { endpoint: target.endpoint } : {}),
  };
}

/** `local`, plus the port and data directory when they are not the defaults: the spec must find the same msf-local. */
function localTarget(target: ResolvedTarget): string | Record<string, unknown> {
  const port = target.local?.port ?? DEFAULT_LOCAL_PORT;
  const dataDir = target.local?.dataDir ?? defaultLocalDataDir();
  const endpoint =
    target.endpoint && target.endpoint !== `http://127.0.0.1:${port}` ? target.endpoint : undefined;
  if (port === DEFAULT_LOCAL_PORT && dataDir === defaultLocalDataDir() && !endpoint) return 'local';
  return {
    kind: 'local',
    ...(port !== DEFAULT_LOCAL_PORT ? { port } : {}),
    ...(dataDir !== defaultLocalDataDir() ? { dataDir } : {}),
    ...(endpoint ? { endpoint } : {}),
  };
}
