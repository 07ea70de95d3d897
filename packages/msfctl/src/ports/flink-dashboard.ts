/** A fresh link to an application's Flink dashboard (CreateApplicationPresignedUrl), or why there is none now. */
export type FlinkDashboardLink = { url: string } | { unavailable: string };

export interface FlinkDashboardLinks {
  /** Never rejects for a service refusal (the job does not run): that is `unavailable` with the reason. */
  link(application: string, signal?: AbortSignal): Promise<FlinkDashboardLink>;
}
