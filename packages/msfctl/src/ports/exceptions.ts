/** The job's latest exception, where the target offers one (evidence for an unhealthy verdict). Never throws. */
import type { LatestException } from '../model/health.js';

export type { LatestException } from '../model/health.js';

export type ExceptionLookup = { found: LatestException } | { unavailable: string };

export interface ExceptionSource {
  latest(application: string): Promise<ExceptionLookup>;
}

/** A source for targets that offer none. */
export const NO_EXCEPTIONS: ExceptionSource = {
  latest: async () => ({ unavailable: 'this target offers no exception history' }),
};
