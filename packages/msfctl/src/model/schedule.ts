/**
 * Snapshot schedules as the spec writes them — `every 6h` or a cron expression (UTC, via croner) — with daily
 * UTC blackout windows, and when the next scheduled snapshot is due. Pure: time comes in as a number.
 */
import { Cron } from 'croner';
import { parseDuration } from './duration.js';

export type Schedule = { every: number } | { cron: string };

/** HH:MM-HH:MM, UTC. */
export const BLACKOUT = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$/;

/** Why a schedule is not one, or undefined when it is. */
export function scheduleProblem(text: string): string | undefined {
  try {
    parseSchedule(text);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

export function parseSchedule(text: string): Schedule {
  const every = /^every\s+(\S+)$/.exec(text.trim());
  if (every) {
    const ms = parseDuration(every[1]!);
    if (ms === undefined || ms < 1_000)
      throw new Error(`"${text}": "every" needs a duration of 1s or more, e.g. every 6h`);
    return { every: ms };
  }
  try {
    new Cron(text, { timezone: 'UTC', paused: true }).stop();
  } catch (error) {
    throw new Error(
      `"${text}" is neither "every DURATION" nor a cron expression (${(error as Error).message})`,
    );
  }
  return { cron: text };
}

/**
 * When the next scheduled snapshot is due: `every` counts from the last one (now when there is none yet);
 * a cron schedule is due at its first run after the last one (or after `since`, when the controller started).
 */
export function nextDue(schedule: Schedule, last: number | undefined, since: number): number {
  if ('every' in schedule) return last === undefined ? since : last + schedule.every;
  const next = new Cron(schedule.cron, { timezone: 'UTC', paused: true }).nextRun(new Date(last ?? since));
  return next ? next.getTime() : Number.POSITIVE_INFINITY;
}

/** Whether `now` is inside one of the daily UTC windows (a window may wrap midnight: 22:00-02:00). */
export function inBlackout(windows: readonly string[] | undefined, now: number): boolean {
  if (!windows?.length) return false;
  const d = new Date(now);
  const minute = d.getUTCHours() * 60 + d.getUTCMinutes();
  return windows.some((w) => {
    const m = BLACKOUT.exec(w);
    if (!m) return false;
    const from = Number(m[1]) * 60 + Number(m[2]);
    const to = Number(m[3]) * 60 + Number(m[4]);
    return from <= to ? minute >= from && minute < to : minute >= from || minute < to;
  });
}
