/** The job's latest exception, where the target offers one (evidence for an unhealthy verdict). Never throws. */
export interface LatestException {
  /** When Flink recorded it (epoch ms). */
  at?: number;
  /** e.g. java.lang.IllegalStateException */
  exceptionClass?: string;
  /** The first line: `<class>: <message>`. */
  summary: string;
  /** The innermost "Caused by:" line, when the exception wraps others. */
  rootCause?: string;
  /** The failing task, e.g. "Source: ticks -> explode (1/1)". */
  task?: string;
  source: 'flink-dashboard';
}

export type ExceptionLookup = { found: LatestException } | { unavailable: string };

export interface ExceptionSource {
  latest(application: string): Promise<ExceptionLookup>;
}

/** A source for targets that offer none. */
export const NO_EXCEPTIONS: ExceptionSource = {
  latest: async () => ({ unavailable: 'this target offers no exception history' }),
};
