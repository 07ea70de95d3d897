/**
 * Health verdicts as IoHost messages (the library never prints): one headline with a stable code, then a
 * detail line per piece of evidence. Codes: MSF_HEALTH_I3000 healthy, W3001 unknown, E3002 unhealthy,
 * I3003 evidence, I3004 bake progress, I3005 data flow (records in/out, backpressure, iterator age).
 */
import type { IoMessage } from '../../model/messages.js';
import { formatDuration } from '../../model/duration.js';
import type { BakeOutcome, BakeProgress } from '../../model/health.js';
import type { HealthCheck } from '../../model/health.js';
import type { DataFlow, HealthResult } from '../../model/health.js';

function headline(application: string, result: HealthResult, what: string): IoMessage {
  switch (result.status) {
    case 'healthy':
      return {
        level: 'success',
        code: 'MSF_HEALTH_I3000',
        text: `${application} is healthy${what}: ${result.reason}.`,
        data: result,
      };
    case 'unknown':
      return {
        level: 'warn',
        code: 'MSF_HEALTH_W3001',
        text: `${application}: health not known${what}: ${result.reason}.`,
        data: result,
      };
    case 'unhealthy':
      return {
        level: 'error',
        code: 'MSF_HEALTH_E3002',
        text: `${application} is unhealthy${what}: crash loop or failing job.`,
        data: result,
      };
  }
}

function evidenceLines(result: HealthResult): IoMessage[] {
  return result.evidence.map((e) => ({
    level: 'detail',
    code: 'MSF_HEALTH_I3003',
    text: `  ${e.signal}: ${e.message}`,
    data: e,
  }));
}

const rate = (n: number) => (n >= 100 ? n.toFixed(0) : n.toFixed(1));

/**
 * "data flow: 12.5 records/s in, 12.5 out; backpressure 0 ms/s; Kinesis iterator age 1.2s" — what was published;
 * a metric the target does not publish is named as such, so its absence is not read as zero.
 */
export function dataFlowText(flow: DataFlow | undefined): string {
  if (!flow) return 'data flow: no records, backpressure or iterator-age metric published';
  const parts: string[] = [];
  if (flow.recordsInPerSecond !== undefined || flow.recordsOutPerSecond !== undefined)
    parts.push(
      `${flow.recordsInPerSecond !== undefined ? rate(flow.recordsInPerSecond) : '?'} records/s in, ${flow.recordsOutPerSecond !== undefined ? rate(flow.recordsOutPerSecond) : '?'} out`,
    );
  else parts.push('records in/out not published');
  parts.push(
    flow.backPressuredMsPerSecond !== undefined
      ? `backpressure ${flow.backPressuredMsPerSecond.toFixed(0)} ms/s`
      : 'backpressure not published',
  );
  if (flow.millisBehindLatest !== undefined)
    parts.push(
      `Kinesis iterator age ${flow.millisBehindLatest < 10_000 ? `${flow.millisBehindLatest.toFixed(0)} ms` : formatDuration(flow.millisBehindLatest)}`,
    );
  return `data flow: ${parts.join('; ')}`;
}

function flowLine(result: HealthResult): IoMessage[] {
  if (!result.facts || result.facts.datapoints === 0) return [];
  return [
    {
      level: 'detail',
      code: 'MSF_HEALTH_I3005',
      text: `  ${dataFlowText(result.facts.flow)}`,
      ...(result.facts.flow ? { data: result.facts.flow } : {}),
    },
  ];
}

export function bakeMessages(outcome: BakeOutcome): IoMessage[] {
  const took = formatDuration(outcome.endedAt - outcome.startedAt);
  const what =
    outcome.result.status === 'unhealthy' ? ` (detected after ${took} of the bake)` : ` after a ${took} bake`;
  return [
    headline(outcome.application, outcome.result, what),
    ...evidenceLines(outcome.result),
    ...flowLine(outcome.result),
  ];
}

export function healthCheckMessages(check: HealthCheck): IoMessage[] {
  return [
    headline(check.application, check.result, ''),
    ...evidenceLines(check.result),
    ...flowLine(check.result),
  ];
}

/** Text for a progress display during the bake, e.g. "baking stock-prices: 0 restarts, 1m30s left". */
export function bakeProgressText(progress: BakeProgress): string {
  const left = formatDuration(progress.remainingMs);
  const facts = progress.result.facts;
  const detail = facts
    ? `${facts.restarts} restart${facts.restarts === 1 ? '' : 's'}`
    : progress.result.reason;
  return `baking ${progress.application}: ${detail}, ${left} left`;
}
