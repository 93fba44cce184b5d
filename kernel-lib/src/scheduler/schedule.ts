import { Cron } from 'croner';
import type { ScheduleInterval } from '@tsfx/protocol';
import type { Interval } from './dagOptions';

/**
 * Schedules as Airflow's timetables read them: a run covers a data interval and is created once
 * the interval is over (its logical date is the interval's start). Cron expressions (and
 * presets) tick in UTC; an interval schedule cuts time into fixed lengths from the start date;
 * `@once` runs once at the start date; `none` only runs when triggered.
 *
 * Cron library: croner (no dependencies, ships CommonJS and its own types, evaluates in any time
 * zone); cron-parser pulls in luxon for the same.
 */
export type Schedule =
  | { kind: 'none' }
  | { kind: 'once' }
  | { kind: 'cron'; expression: string; preset: string | null }
  | { kind: 'interval'; seconds: number };

/** Airflow's presets (`@once` and `None` aside). */
export const CRON_PRESETS: Readonly<Record<string, string>> = {
  '@hourly': '0 * * * *',
  '@daily': '0 0 * * *',
  '@weekly': '0 0 * * 0',
  '@monthly': '0 0 1 * *',
  '@quarterly': '0 0 1 */3 *',
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
};

export function parseSchedule(value: string | Interval | null): Schedule {
  if (value === null) return { kind: 'none' };
  if (typeof value === 'object') {
    const seconds =
      (value.days ?? 0) * 86400 +
      (value.hours ?? 0) * 3600 +
      (value.minutes ?? 0) * 60 +
      (value.seconds ?? 0);
    return { kind: 'interval', seconds };
  }
  const text = value.trim();
  if (text === '@once') return { kind: 'once' };
  if (text.startsWith('@') && !(text in CRON_PRESETS)) {
    throw new Error(
      `unknown preset "${text}" (presets: @once, ${Object.keys(CRON_PRESETS).join(', ')})`,
    );
  }
  const expression = CRON_PRESETS[text] ?? text;
  if (expression.split(/\s+/).length !== 5) {
    throw new Error(
      `"${text}" is not a cron expression of 5 fields (minute hour day month weekday)`,
    );
  }
  try {
    cron(expression);
  } catch (error) {
    throw new Error(`"${text}" is not a cron expression: ${(error as Error).message}`);
  }
  return { kind: 'cron', expression, preset: text in CRON_PRESETS ? text : null };
}

function cron(expression: string): Cron {
  return new Cron(expression, { timezone: 'Etc/UTC', paused: true });
}

/** A scheduled run to create: its data interval, and when it may be created (the interval's end). */
export interface NextRun {
  logicalDate: number;
  dataIntervalStart: number;
  dataIntervalEnd: number;
  runAfter: number;
}

/**
 * The next scheduled run after the latest one (`last`: its data interval, or null for the
 * first), as Airflow's timetables compute it; without catchup, missed intervals are skipped to
 * the latest complete one. Null when the schedule creates no more runs.
 */
export function nextScheduledRun(
  schedule: Schedule,
  startDate: number | null,
  catchup: boolean,
  last: { dataIntervalStart: number; dataIntervalEnd: number } | null,
  now: number,
): NextRun | null {
  if (schedule.kind === 'none' || startDate === null) return null;
  if (schedule.kind === 'once') {
    if (last) return null;
    return {
      logicalDate: startDate,
      dataIntervalStart: startDate,
      dataIntervalEnd: startDate,
      runAfter: startDate,
    };
  }
  if (schedule.kind === 'interval') {
    const delta = schedule.seconds * 1000;
    let start = last ? last.dataIntervalEnd : startDate;
    if (!catchup) start = Math.max(start, now - delta);
    return {
      logicalDate: start,
      dataIntervalStart: start,
      dataIntervalEnd: start + delta,
      runAfter: start + delta,
    };
  }
  const c = cron(schedule.expression);
  let start = last ? last.dataIntervalEnd : alignToNext(c, startDate);
  if (!catchup) start = Math.max(start, latestCompleteIntervalStart(c, now));
  const end = nextTick(c, start);
  return { logicalDate: start, dataIntervalStart: start, dataIntervalEnd: end, runAfter: end };
}

/** The data interval of a manual run at `when`: Airflow takes the interval that ends there. */
export function manualDataInterval(
  schedule: Schedule,
  when: number,
): { dataIntervalStart: number; dataIntervalEnd: number } {
  if (schedule.kind === 'cron') {
    const c = cron(schedule.expression);
    const end = previousTick(c, when);
    return { dataIntervalStart: previousTick(c, end - 1), dataIntervalEnd: end };
  }
  if (schedule.kind === 'interval') {
    return { dataIntervalStart: when - schedule.seconds * 1000, dataIntervalEnd: when };
  }
  return { dataIntervalStart: when, dataIntervalEnd: when };
}

function nextTick(c: Cron, after: number): number {
  const next = c.nextRun(new Date(after));
  if (!next) throw new Error('the cron expression has no next time');
  return next.getTime();
}

/** The first tick at or after `time`. */
function alignToNext(c: Cron, time: number): number {
  return nextTick(c, time - 1);
}

/** The latest tick at or before `time`: searched back in doubling steps, then forward. */
function previousTick(c: Cron, time: number): number {
  for (let step = 3_600_000; step < 400 * 86_400_000 * 8; step *= 2) {
    let tick = alignToNext(c, time - step);
    if (tick > time) continue;
    for (let next = nextTick(c, tick); next <= time; next = nextTick(c, tick)) tick = next;
    return tick;
  }
  throw new Error('the cron expression has no tick in the past 8 years');
}

/** Airflow's `_skip_to_latest`: the start of the latest interval that is over at `now`. */
function latestCompleteIntervalStart(c: Cron, now: number): number {
  const lastTick = previousTick(c, now);
  return previousTick(c, lastTick - 1);
}

/** The API's `schedule_interval`. */
export function scheduleInterval(schedule: Schedule): ScheduleInterval {
  switch (schedule.kind) {
    case 'none':
      return null;
    case 'once':
      return { __type: 'CronExpression', value: '@once' };
    case 'cron':
      return { __type: 'CronExpression', value: schedule.expression };
    case 'interval':
      return {
        __type: 'TimeDelta',
        days: Math.floor(schedule.seconds / 86400),
        seconds: schedule.seconds % 86400,
        microseconds: 0,
      };
  }
}

/** Airflow's `timetable_description`, in words. */
export function scheduleDescription(schedule: Schedule): string {
  switch (schedule.kind) {
    case 'none':
      return 'Never, external triggers only';
    case 'once':
      return 'Once, as soon as possible';
    case 'cron':
      return cronText(schedule.expression);
    case 'interval':
      return `Every ${durationText(schedule.seconds)}`;
  }
}

function durationText(seconds: number): string {
  const parts: string[] = [];
  const units: [number, string][] = [
    [86400, 'day'],
    [3600, 'hour'],
    [60, 'minute'],
    [1, 'second'],
  ];
  let left = seconds;
  for (const [size, name] of units) {
    const n = Math.floor(left / size);
    if (n > 0) parts.push(`${n} ${name}${n === 1 ? '' : 's'}`);
    left -= n * size;
  }
  return parts.join(' ') || '0 seconds';
}

/** A short reading of common cron shapes; others are shown as they are. */
function cronText(expression: string): string {
  const [minute, hour, day, month, weekday] = expression.split(/\s+/);
  const two = (s: string) => s.padStart(2, '0');
  const number = /^\d+$/;
  if (number.test(minute) && number.test(hour)) {
    const at = `At ${two(hour)}:${two(minute)}`;
    if (day === '*' && month === '*' && weekday === '*') return at;
    if (day === '*' && month === '*' && number.test(weekday)) {
      const days = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
      return `${at}, only on ${days[Number(weekday) % 7]}`;
    }
    if (number.test(day) && month === '*' && weekday === '*')
      return `${at}, on day ${day} of the month`;
  }
  if (number.test(minute) && hour === '*' && day === '*' && month === '*' && weekday === '*') {
    return `At ${minute} minutes past the hour`;
  }
  return `Cron ${expression} (UTC)`;
}
