/**
 * The log4j appender that sends a cluster JVM's log events to msf-local (monitoring/job-log-shipper.ts): a socket
 * appender to a loopback port, one JSON line per event, written by log4j's own PatternLayout (`%enc{…}{JSON}`
 * escapes each field), so nothing is added to the JVM's classpath.
 */

/** One event as the appender writes it (short keys: it is written for every event). */
export interface AppenderEvent {
  /** Application name. */
  a: string;
  /** Token of the cluster JVM that logged it (which job, and so which application version, it runs). */
  j: string;
  /** Epoch milliseconds. */
  t: number;
  /** Level. */
  p: string;
  /** Logger. */
  c: string;
  /** Thread. */
  th: string;
  /** Location: class.method(File.java:line). */
  l: string;
  m: string;
  /** The throwable's stack trace, '' when none. */
  x: string;
}

export interface LogIntake {
  host: string;
  port: number;
}

/**
 * log4j2 properties lines adding the appender to the root logger. Application names are `[a-zA-Z0-9_.-]+` and
 * tokens are UUIDs, so neither needs escaping in JSON or in a properties file.
 */
export function logAppenderConfig(intake: LogIntake, application: string, jvmToken: string): string[] {
  const pattern =
    `{"a":"${application}","j":"${jvmToken}","t":%d{UNIX_MILLIS},"p":"%p","c":"%enc{%c}{JSON}","th":"%enc{%t}{JSON}",` +
    `"l":"%enc{%l}{JSON}","m":"%enc{%m}{JSON}","x":"%enc{%ex}{JSON}"}%n`;
  return [
    'rootLogger.appenderRef.msflocal.ref = msflocal',
    'appender.msflocal.type = Socket',
    'appender.msflocal.name = msflocal',
    `appender.msflocal.host = ${intake.host}`,
    `appender.msflocal.port = ${intake.port}`,
    'appender.msflocal.protocol = TCP',
    'appender.msflocal.immediateFail = false',
    'appender.msflocal.reconnectionDelayMillis = 1000',
    'appender.msflocal.layout.type = PatternLayout',
    // The throwable is inside the JSON line (x); without this log4j would append it after the line.
    'appender.msflocal.layout.alwaysWriteExceptions = false',
    `appender.msflocal.layout.pattern = ${pattern}`,
  ];
}
