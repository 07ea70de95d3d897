import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, promises as fs } from 'node:fs';
import path from 'node:path';
import { childEnvironment } from 'msf-flink-runtime';

import { logAppenderConfig, type LogIntake } from './log-appender.js';
import { FLINK_HOST_MAIN, killStaleHost, recordHost } from './stale-host.js';
import type { PreparedRuntime } from './prepared-runtime.js';

/**
 * One cluster JVM (java/flink-host) for one application: spawned with its runtime's classpath, the properties
 * agent and the application's environment and system properties; ready once it prints its REST URL.
 *
 * It never outlives msf-local: it holds our end of a stdin pipe and exits when that closes (msf-local exiting,
 * even by SIGKILL); and `stop()` escalates SIGTERM to SIGKILL after a timeout. Only this PID is ever signalled.
 */

/** The `--add-exports/--add-opens` flags flink-dist puts on every Flink JVM on Java 17. */
export const JAVA17_MODULE_FLAGS: readonly string[] = [
  ...[
    'java.base/sun.net.util',
    'java.rmi/sun.rmi.registry',
    'jdk.compiler/com.sun.tools.javac.api',
    'jdk.compiler/com.sun.tools.javac.file',
    'jdk.compiler/com.sun.tools.javac.parser',
    'jdk.compiler/com.sun.tools.javac.tree',
    'jdk.compiler/com.sun.tools.javac.util',
    'java.security.jgss/sun.security.krb5',
  ].map((target) => `--add-exports=${target}=ALL-UNNAMED`),
  ...[
    'java.base/java.lang',
    'java.base/java.net',
    'java.base/java.io',
    'java.base/java.nio',
    'java.base/sun.nio.ch',
    'java.base/java.lang.reflect',
    'java.base/java.text',
    'java.base/java.time',
    'java.base/java.util',
    'java.base/java.util.concurrent',
    'java.base/java.util.concurrent.atomic',
    'java.base/java.util.concurrent.locks',
  ].map((target) => `--add-opens=${target}=ALL-UNNAMED`),
];

const READY_PREFIX = 'FLINK_HOST_READY ';
const FAILED_PREFIX = 'FLINK_HOST_FAILED ';

export interface FlinkHostSpec {
  runtime: PreparedRuntime;
  /** Flink configuration of the cluster. */
  flinkConfig: Record<string, string>;
  /** Directory for the generated config and the logs (`flink.log`, `host.out`). */
  confDir: string;
  logDir: string;
  logLevel: 'INFO' | 'WARN' | 'ERROR' | 'DEBUG';
  /** Where the JVM also sends its log events, for the application's CloudWatch logging options. */
  logShipping?: { intake: LogIntake; application: string; jvmToken: string };
  /** What getApplicationProperties() returns; without it the properties agent is not attached. */
  propertiesFile?: string;
  heapMb: number;
  environment: Record<string, string>;
  /** What `environment` is laid over; default this process's environment. */
  baseEnvironment?: NodeJS.ProcessEnv;
  systemProperties: Record<string, string>;
  javaCommand: string;
  startTimeoutMs: number;
  /** JVM options before the defaults' end, e.g. to record a class data archive. */
  extraJvmArgs?: string[];
  /** Aborting kills the JVM at once, also while it boots (start() then rejects with the signal's reason). */
  signal?: AbortSignal;
}

export class FlinkHostProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly restUrl: string,
    readonly logFile: string,
    /** Settles when the JVM has exited. */
    readonly exited: Promise<void>,
    private readonly exitState: { info?: { code: number | null; signal: NodeJS.Signals | null } },
  ) {}

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** How the JVM ended, once it has; undefined while it runs. */
  get exit(): { code: number | null; signal: NodeJS.Signals | null } | undefined {
    return this.exitState.info;
  }

  static async start(spec: FlinkHostSpec): Promise<FlinkHostProcess> {
    await fs.mkdir(spec.confDir, { recursive: true });
    await fs.mkdir(spec.logDir, { recursive: true });
    // A JVM of this application left by a killed msf-local: gone before the new one starts (stale-host.ts).
    await killStaleHost(spec.confDir);
    const confFile = path.join(spec.confDir, 'flink-conf.properties');
    const log4jFile = path.join(spec.confDir, 'log4j2.properties');
    const flinkLog = path.join(spec.logDir, 'flink.log');
    const hostOut = path.join(spec.logDir, 'host.out');
    await fs.writeFile(confFile, toPropertiesFile(spec.flinkConfig));
    await fs.writeFile(log4jFile, log4jConfig(flinkLog, spec.logLevel, spec.logShipping));

    const args = [
      `-Xms64m`,
      `-Xmx${spec.heapMb}m`,
      '-XX:MaxMetaspaceSize=384m',
      '-XX:+UseSerialGC',
      '-XX:+ExitOnOutOfMemoryError',
      // Boots about a third faster from the runtime's class data archive; a JVM that cannot use it ignores it.
      ...(spec.runtime.classDataArchive && !spec.extraJvmArgs?.length
        ? [`-XX:SharedArchiveFile=${spec.runtime.classDataArchive}`]
        : []),
      ...(spec.extraJvmArgs ?? []),
      ...JAVA17_MODULE_FLAGS,
      ...(spec.propertiesFile
        ? [`-javaagent:${spec.runtime.propertiesAgentJar}=${spec.propertiesFile}`]
        : []),
      `-Dlog4j.configurationFile=${log4jFile}`,
      `-Dlog.file=${flinkLog}`,
      ...Object.entries(spec.systemProperties).map(([key, value]) => `-D${key}=${value}`),
      '-cp',
      spec.runtime.classpath,
      FLINK_HOST_MAIN,
      '--conf',
      confFile,
      '--exit-on-stdin-close',
    ];
    const out = createWriteStream(hostOut, { flags: 'a' });
    out.on('error', () => undefined); // a lost log line must not take msf-local down
    const write = (chunk: string | Buffer): void => {
      if (!out.writableEnded) out.write(chunk);
    };
    write(
      `--- ${new Date().toISOString()} starting Flink ${spec.runtime.spec.flinkVersion}: ${spec.javaCommand} ${args.join(' ')}\n`,
    );
    const child = spawn(spec.javaCommand, args, {
      cwd: spec.confDir,
      env: childEnvironment(spec.baseEnvironment ?? process.env, spec.environment),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    if (child.pid !== undefined) recordHost(spec.confDir, child.pid);
    const exitState: { info?: { code: number | null; signal: NodeJS.Signals | null } } = {};
    const exited = new Promise<void>((resolve) => {
      child.on('exit', (code, signal) => {
        exitState.info = { code, signal };
        out.end(`--- JVM exited (code ${code}, signal ${signal})\n`);
        resolve();
      });
    });
    child.stderr?.on('data', write);
    child.stdin?.on('error', () => undefined); // EPIPE once the JVM is gone

    const onAbort = (): void => void child.kill('SIGKILL');
    spec.signal?.addEventListener('abort', onAbort, { once: true });
    void exited.then(() => spec.signal?.removeEventListener('abort', onAbort));
    let restUrl: string;
    try {
      if (spec.signal?.aborted) throw spec.signal.reason;
      restUrl = await awaitReadyLine(child, write, spec.startTimeoutMs, hostOut);
    } catch (error) {
      child.kill('SIGKILL');
      await exited;
      throw spec.signal?.aborted ? spec.signal.reason : error;
    }
    return new FlinkHostProcess(child, restUrl, flinkLog, exited, exitState);
  }

  /** SIGKILL, for a cluster whose state nobody needs (a sandbox): resolves once the JVM is gone. */
  async kill(): Promise<void> {
    if (!this.exitState.info && this.child.exitCode === null && this.child.signalCode === null)
      this.child.kill('SIGKILL');
    await this.exited;
    this.child.stdin?.destroy();
  }

  /** SIGTERM (Flink shuts down cleanly), SIGKILL if it has not exited within `timeoutMs`. */
  async stop(timeoutMs = 20_000): Promise<void> {
    if (this.exitState.info || this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    try {
      await this.exited;
    } finally {
      clearTimeout(timer);
      this.child.stdin?.destroy();
    }
  }
}

function awaitReadyLine(
  child: ChildProcess,
  write: (chunk: Buffer) => void,
  timeoutMs: number,
  hostOut: string,
): Promise<string> {
  return new Promise((resolve, reject) => {
    let pending = '';
    let settled = false;
    const settle = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn();
    };
    const timer = setTimeout(
      () =>
        settle(() =>
          reject(
            new Error(`the Flink cluster JVM did not become ready within ${timeoutMs} ms; see ${hostOut}`),
          ),
        ),
      timeoutMs,
    );
    child.stdout?.on('data', (chunk: Buffer) => {
      write(chunk);
      pending += chunk.toString('utf8');
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        if (line.startsWith(READY_PREFIX)) settle(() => resolve(line.slice(READY_PREFIX.length).trim()));
        else if (line.startsWith(FAILED_PREFIX)) {
          settle(() =>
            reject(
              new Error(
                `the Flink cluster JVM failed to start: ${line.slice(FAILED_PREFIX.length)} (see ${hostOut})`,
              ),
            ),
          );
        }
      }
    });
    child.on('error', (error) => settle(() => reject(new Error(`cannot start java: ${error.message}`))));
    child.on('exit', (code, signal) =>
      settle(() =>
        reject(
          new Error(
            `the Flink cluster JVM exited before it was ready (code ${code}, signal ${signal}); see ${hostOut}`,
          ),
        ),
      ),
    );
  });
}

/** Java properties file syntax: escape what `Properties.load` would otherwise interpret. */
function toPropertiesFile(config: Record<string, string>): string {
  const escape = (text: string, isKey: boolean): string =>
    text
      .replace(/\\/g, '\\\\')
      .replace(/\n/g, '\\n')
      .replace(/\r/g, '\\r')
      .replace(isKey ? /([=: #!])/g : /^([ #!])/, '\\$1');
  return (
    Object.entries(config)
      .map(([key, value]) => `${escape(key, true)}=${escape(value, false)}`)
      .join('\n') + '\n'
  );
}

function log4jConfig(logFile: string, level: string, shipping: FlinkHostSpec['logShipping']): string {
  return [
    ...(shipping ? logAppenderConfig(shipping.intake, shipping.application, shipping.jvmToken) : []),
    `rootLogger.level = ${level}`,
    'rootLogger.appenderRef.file.ref = file',
    'appender.file.type = RollingFile',
    'appender.file.name = file',
    `appender.file.fileName = ${logFile.replace(/\\/g, '/')}`,
    `appender.file.filePattern = ${logFile.replace(/\\/g, '/')}.%i`,
    'appender.file.layout.type = PatternLayout',
    'appender.file.layout.pattern = %d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %c - %m%n',
    'appender.file.policies.type = Policies',
    'appender.file.policies.size.type = SizeBasedTriggeringPolicy',
    'appender.file.policies.size.size = 50MB',
    'appender.file.strategy.type = DefaultRolloverStrategy',
    'appender.file.strategy.max = 3',
    // Flink's own noisy loggers, as flink-dist's default log4j configuration quiets them.
    'logger.netty.name = org.apache.flink.shaded.netty4.io.netty.channel.nio.NioEventLoop',
    'logger.netty.level = OFF',
    '',
  ].join('\n');
}

/** Java 17 for cluster JVMs: `$MSF_LOCAL_JAVA`, else `$JAVA_HOME/bin/java`, else `java` on PATH. */
export function defaultJavaCommand(): string {
  if (process.env.MSF_LOCAL_JAVA) return process.env.MSF_LOCAL_JAVA;
  if (process.env.JAVA_HOME) return path.join(process.env.JAVA_HOME, 'bin', 'java');
  return 'java';
}
