/**
 * Keeps the inspector JVM off the network while it runs an application's main(), which may build AWS clients or
 * open connections before execute().
 *
 * - Where Linux lets us, the JVM runs in a new, empty network namespace (`unshare --net --map-root-user`):
 *   no interface is up, so every connection fails, whatever API opens it.
 * - Always, the JVM resolves host names only from a hosts file that knows nothing but localhost, sends plain
 *   socket connections (including to loopback) through a SOCKS proxy on a closed loopback port, and the AWS SDKs
 *   see dummy credentials, a loopback endpoint, and no instance metadata service.
 */
import { spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';

import type { NetworkSandbox } from '../../model/inspection.js';

/** Port 9 (discard) on loopback: nothing listens there, so connections are refused at once. */
const DEAD_ENDPOINT = 'http://127.0.0.1:9';

let namespaceProbe: Promise<boolean> | undefined;

/** Whether this machine can give a process an empty network namespace (probed once per process). */
export function canUseNetworkNamespace(): Promise<boolean> {
  namespaceProbe ??= new Promise((resolve) => {
    if (process.platform !== 'linux') return resolve(false);
    const probe = spawn('unshare', ['--net', '--map-root-user', 'true'], { stdio: 'ignore' });
    probe.on('error', () => resolve(false));
    probe.on('close', (code) => resolve(code === 0));
  });
  return namespaceProbe;
}

export interface SandboxedCommand {
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  sandbox: NetworkSandbox;
}

/** Wraps `java <jvmArgs...>` so that it runs without network access. `workDir` receives the hosts file. */
export async function sandboxJava(javaArgs: string[], workDir: string): Promise<SandboxedCommand> {
  await mkdir(workDir, { recursive: true });
  const hostsFile = join(workDir, 'hosts');
  // Only this machine's own names resolve (logging asks for the local host name); nothing else does.
  await writeFile(hostsFile, `127.0.0.1 localhost ${hostname()}\n::1 localhost\n`);
  const guards = [
    `-Djdk.net.hosts.file=${hostsFile}`,
    '-DsocksProxyHost=127.0.0.1',
    '-DsocksProxyPort=9',
    // Empty: loopback too goes through the dead proxy (the default exempts localhost and 127.*).
    '-DsocksNonProxyHosts=',
    '-Daws.ec2MetadataServiceEndpoint=http://127.0.0.1:9',
    '-Daws.disableEc2Metadata=true',
  ];
  const java = process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
  const env = sandboxEnv(process.env);
  if (await canUseNetworkNamespace()) {
    return {
      command: 'unshare',
      args: ['--net', '--map-root-user', java, ...guards, ...javaArgs],
      env,
      sandbox: 'network-namespace',
    };
  }
  return { command: java, args: [...guards, ...javaArgs], env, sandbox: 'jvm-guards' };
}

/** The caller's environment without AWS identity or endpoints, plus settings that point the SDKs nowhere. */
export function sandboxEnv(base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(base)) {
    if (!key.startsWith('AWS_')) env[key] = value;
  }
  return {
    ...env,
    AWS_ACCESS_KEY_ID: 'msfctl-inspector',
    AWS_SECRET_ACCESS_KEY: 'msfctl-inspector',
    AWS_REGION: base.AWS_REGION ?? base.AWS_DEFAULT_REGION ?? 'us-east-1',
    AWS_ENDPOINT_URL: DEAD_ENDPOINT,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: '/nonexistent/msfctl-inspector/config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/msfctl-inspector/credentials',
    // Program arguments and uids may be non-ASCII: make the JVM decode argv as UTF-8.
    ...(process.platform === 'linux' ? { LC_ALL: 'C.UTF-8' } : {}),
  };
}
