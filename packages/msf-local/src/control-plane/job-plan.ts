/**
 * The Flink job plan of a running application, for DescribeApplication with IncludeAdditionalDetails
 * (`FlinkApplicationConfigurationDescription.JobPlanDescription`, a string holding the plan's JSON).
 *
 * Read from the Flink REST API the application's dashboard is served by: `/jobs/overview` names the job,
 * `/jobs/<id>/plan` answers `{"plan": {...}}`. The plan is extra detail, so a cluster that cannot answer
 * (starting, stopping, gone) leaves it out instead of failing the describe.
 */

interface JobOverview {
  jobs?: { jid: string; state: string; 'start-time'?: number }[];
}

const TERMINAL_STATES = new Set(['FAILED', 'CANCELED', 'FINISHED']);

export async function readJobPlan(restUrl: string, timeoutMs = 2_000): Promise<string | undefined> {
  try {
    const overview = await getJson<JobOverview>(restUrl, '/jobs/overview', timeoutMs);
    const job = (overview.jobs ?? [])
      .filter((j) => !TERMINAL_STATES.has(j.state))
      .sort((a, b) => (b['start-time'] ?? 0) - (a['start-time'] ?? 0))[0];
    if (!job) return undefined;
    const { plan } = await getJson<{ plan?: unknown }>(
      restUrl,
      `/jobs/${encodeURIComponent(job.jid)}/plan`,
      timeoutMs,
    );
    return plan === undefined ? undefined : JSON.stringify(plan);
  } catch {
    return undefined;
  }
}

async function getJson<T>(restUrl: string, path: string, timeoutMs: number): Promise<T> {
  const response = await fetch(new URL(path, restUrl), { signal: AbortSignal.timeout(timeoutMs) });
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  return (await response.json()) as T;
}
