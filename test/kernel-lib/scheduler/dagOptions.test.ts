import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkDagOptions } from '../../../kernel-lib/src/scheduler/dagOptions';
import {
  manualDataInterval,
  nextScheduledRun,
  parseSchedule,
  scheduleDescription,
  scheduleInterval,
} from '../../../kernel-lib/src/scheduler/schedule';

const at = (iso: string) => Date.parse(iso);
const isoOf = (run: { logicalDate: number; dataIntervalEnd: number; runAfter: number } | null) =>
  run && {
    logical: new Date(run.logicalDate).toISOString(),
    end: new Date(run.dataIntervalEnd).toISOString(),
    after: new Date(run.runAfter).toISOString(),
  };

describe('DAG options', () => {
  it("fills in Airflow's defaults", () => {
    const spec = checkDagOptions({}, 'chicago_taxi', 'dags/taxi.ts');
    assert.deepEqual(spec, {
      dagId: 'chicago_taxi',
      description: null,
      schedule: { kind: 'none' },
      startDate: null,
      catchup: false,
      maxActiveRuns: 1,
      isPausedUponCreation: true,
      params: {},
      defaultArgs: { retries: 0, retryDelaySeconds: 300, executionTimeoutSeconds: null },
      tags: [],
    });
  });

  it('reads every option: presets, intervals, dates, default args', () => {
    const spec = checkDagOptions(
      {
        dagId: 'x',
        schedule: '@daily',
        startDate: new Date('2019-01-01T00:00:00Z'),
        catchup: true,
        maxActiveRuns: 3,
        isPausedUponCreation: false,
        params: { trainSteps: 50, nested: { a: [1, 'b'] } },
        defaultArgs: {
          retries: 2,
          retryDelay: { minutes: 1, seconds: 30 },
          executionTimeout: { hours: 1 },
        },
        tags: ['t'],
      },
      'p',
      'f.ts',
    );
    assert.deepEqual(spec.schedule, { kind: 'cron', expression: '0 0 * * *', preset: '@daily' });
    assert.equal(spec.startDate, at('2019-01-01T00:00:00Z'));
    assert.deepEqual(spec.defaultArgs, {
      retries: 2,
      retryDelaySeconds: 90,
      executionTimeoutSeconds: 3600,
    });
    assert.deepEqual(spec.params, { trainSteps: 50, nested: { a: [1, 'b'] } });
    assert.equal(
      checkDagOptions({ schedule: { hours: 2 }, startDate: '2020-01-01' }, 'p', 'f.ts').schedule
        .kind,
      'interval',
    );
  });

  it('refuses bad options in one line naming the file and the option', () => {
    const refuse = (raw: unknown) => {
      try {
        checkDagOptions(raw, 'p', 'dags/f.ts');
      } catch (error) {
        return (error as Error).message;
      }
      assert.fail('accepted');
    };
    assert.equal(refuse({ maxActiveRuns: 0 }), 'dags/f.ts: dag.maxActiveRuns: expected >=1, got 0');
    assert.equal(
      refuse({ schedule: '@fortnightly', startDate: '2020-01-01' }),
      'dags/f.ts: dag.schedule: unknown preset "@fortnightly" (presets: @once, @hourly, @daily, @weekly, @monthly, @quarterly, @yearly, @annually)',
    );
    assert.match(
      refuse({ schedule: '61 * * * *', startDate: '2020-01-01' }),
      /^dags\/f\.ts: dag\.schedule: "61 \* \* \* \*" is not a cron expression/,
    );
    assert.equal(
      refuse({ schedule: '@daily' }),
      'dags/f.ts: dag.startDate: a scheduled DAG needs a start date (the first data interval starts there)',
    );
    assert.equal(
      refuse({ startDate: 'yesterday' }),
      'dags/f.ts: dag.startDate: expected an ISO date such as "2019-01-01", got "yesterday"',
    );
    assert.equal(
      refuse({ dagId: '1x' }),
      'dags/f.ts: dag.dagId: expected an id: a letter, then [A-Za-z0-9_.-], got "1x"',
    );
    assert.equal(refuse({ retries: 1 }), 'dags/f.ts: dag.retries: unknown option');
    assert.equal(
      refuse({ defaultArgs: { retryDelay: { weeks: 1 } } }),
      'dags/f.ts: dag.defaultArgs.retryDelay: expected a number of seconds or an interval such as { minutes: 5 }, got an object',
    );
    assert.equal(refuse(5), 'dags/f.ts: dag: expected an object of DAG options, got 5');
  });
});

describe('schedules (Airflow timetables, UTC)', () => {
  const daily = parseSchedule('@daily');
  const start = at('2026-11-01T00:00:00Z');
  const now = at('2026-11-30T10:00:00Z');

  it('cron without catchup: the latest complete interval runs at once, then one per interval', () => {
    const first = nextScheduledRun(daily, start, false, null, now);
    assert.deepEqual(isoOf(first), {
      logical: '2026-11-29T00:00:00.000Z',
      end: '2026-11-30T00:00:00.000Z',
      after: '2026-11-30T00:00:00.000Z',
    });
    const second = nextScheduledRun(
      daily,
      start,
      false,
      { dataIntervalStart: first!.dataIntervalStart, dataIntervalEnd: first!.dataIntervalEnd },
      now,
    );
    assert.deepEqual(isoOf(second), {
      logical: '2026-11-30T00:00:00.000Z',
      end: '2026-12-01T00:00:00.000Z',
      after: '2026-12-01T00:00:00.000Z',
    });
  });

  it('cron with catchup: from the start date, aligned to the first tick', () => {
    const run = nextScheduledRun(
      parseSchedule('30 6 * * *'),
      at('2026-11-01T12:00:00Z'),
      true,
      null,
      now,
    );
    assert.deepEqual(isoOf(run), {
      logical: '2026-11-02T06:30:00.000Z',
      end: '2026-11-03T06:30:00.000Z',
      after: '2026-11-03T06:30:00.000Z',
    });
  });

  it('a start date in the future: nothing runs before it', () => {
    const run = nextScheduledRun(daily, at('2027-01-01T00:00:00Z'), false, null, now);
    assert.equal(isoOf(run)!.logical, '2027-01-01T00:00:00.000Z');
    assert.equal(isoOf(run)!.after, '2027-01-02T00:00:00.000Z');
  });

  it('intervals, @once and none', () => {
    const hourly = parseSchedule({ hours: 1 });
    assert.deepEqual(isoOf(nextScheduledRun(hourly, start, true, null, now)), {
      logical: '2026-11-01T00:00:00.000Z',
      end: '2026-11-01T01:00:00.000Z',
      after: '2026-11-01T01:00:00.000Z',
    });
    assert.deepEqual(isoOf(nextScheduledRun(hourly, start, false, null, now)), {
      logical: '2026-11-30T09:00:00.000Z',
      end: '2026-11-30T10:00:00.000Z',
      after: '2026-11-30T10:00:00.000Z',
    });
    const once = parseSchedule('@once');
    assert.equal(
      isoOf(nextScheduledRun(once, start, false, null, now))!.after,
      '2026-11-01T00:00:00.000Z',
    );
    assert.equal(
      nextScheduledRun(
        once,
        start,
        false,
        { dataIntervalStart: start, dataIntervalEnd: start },
        now,
      ),
      null,
    );
    assert.equal(nextScheduledRun(parseSchedule(null), start, false, null, now), null);
  });

  it('a manual run covers the interval that ends at its time', () => {
    const interval = manualDataInterval(daily, now);
    assert.equal(new Date(interval.dataIntervalStart).toISOString(), '2026-11-29T00:00:00.000Z');
    assert.equal(new Date(interval.dataIntervalEnd).toISOString(), '2026-11-30T00:00:00.000Z');
  });

  it("the API's schedule_interval and timetable_description", () => {
    assert.deepEqual(scheduleInterval(daily), { __type: 'CronExpression', value: '0 0 * * *' });
    assert.deepEqual(scheduleInterval(parseSchedule({ days: 1, hours: 2 })), {
      __type: 'TimeDelta',
      days: 1,
      seconds: 7200,
      microseconds: 0,
    });
    assert.equal(scheduleInterval(parseSchedule(null)), null);
    assert.equal(scheduleDescription(daily), 'At 00:00');
    assert.equal(scheduleDescription(parseSchedule('@weekly')), 'At 00:00, only on Sunday');
    assert.equal(scheduleDescription(parseSchedule('15 * * * *')), 'At 15 minutes past the hour');
    assert.equal(scheduleDescription(parseSchedule(null)), 'Never, external triggers only');
    assert.equal(
      scheduleDescription(parseSchedule({ hours: 1, minutes: 30 })),
      'Every 1 hour 30 minutes',
    );
  });
});
