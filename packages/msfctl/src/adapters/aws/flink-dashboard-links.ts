/**
 * Presigned Flink dashboard URLs. The service hands one out only while the job runs (ResourceInUseException
 * otherwise); on AWS it opens a console session valid for the requested time, on msf-local it is the Flink
 * REST root. Each call asks for a fresh one: they expire, so a page must never keep one.
 */
import { CreateApplicationPresignedUrlCommand } from '@aws-sdk/client-kinesis-analytics-v2';
import type { FlinkDashboardLink, FlinkDashboardLinks } from '../../ports/flink-dashboard.js';
import type { PresignedUrlClient } from './exception-source.js';

/** How long the session a link opens lasts (the service allows 1800 to 43200 seconds). */
const SESSION_SECONDS = 1800;

export class PresignedFlinkDashboardLinks implements FlinkDashboardLinks {
  constructor(private readonly msf: PresignedUrlClient) {}

  async link(application: string, signal?: AbortSignal): Promise<FlinkDashboardLink> {
    try {
      const out = await this.msf.send(
        new CreateApplicationPresignedUrlCommand({
          ApplicationName: application,
          UrlType: 'FLINK_DASHBOARD_URL',
          SessionExpirationDurationInSeconds: SESSION_SECONDS,
        }),
        signal ? { abortSignal: signal } : {},
      );
      return out.AuthorizedUrl
        ? { url: out.AuthorizedUrl }
        : { unavailable: 'The service returned no Flink dashboard URL.' };
    } catch (error) {
      const e = error as { name?: string; message?: string };
      if (signal?.aborted) throw error;
      if (e.name === 'ResourceInUseException' || e.name === 'ResourceNotFoundException')
        return { unavailable: `No Flink dashboard now: ${e.message ?? e.name}` };
      throw error;
    }
  }
}
