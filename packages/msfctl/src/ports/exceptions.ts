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

/**
 * The first source that finds an exception (the dashboard where it answers, then the logs); when none does, every
 * source's reason.
 */
export function firstAvailable(...sources: ExceptionSource[]): ExceptionSource {
  return {
    async latest(application) {
      const reasons: string[] = [];
      for (const source of sources) {
        const lookup = await source.latest(application);
        if ('found' in lookup) return lookup;
        reasons.push(lookup.unavailable);
      }
      return { unavailable: reasons.join('; ') || 'no exception source' };
    },
  };
}
