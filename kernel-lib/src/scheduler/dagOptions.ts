import { PIPELINE_ID_PATTERN, type IrParameterValue } from '@tsfx/protocol';
import * as v from 'valibot';
import { TsfxError } from '../errors';
import { parseSchedule, type Schedule } from './schedule';

/**
 * A DAG file is a pipeline file (`createPipeline(params)` or a default `Pipeline`) that also
 * exports `dag`, its DAG options, Airflow's DAG arguments in camelCase:
 *
 * ```ts
 * export const dag: DagOptions = {
 *   dagId: 'chicago_taxi',            // default: the pipeline's name
 *   schedule: '@daily',               // cron, preset, { hours: 1 }, '@once', or null (manual only)
 *   startDate: '2019-01-01',
 *   catchup: false,                   // default false
 *   maxActiveRuns: 1,                 // default 1
 *   isPausedUponCreation: true,       // default true, as Airflow's dags_are_paused_at_creation
 *   params: { trainSteps: 200 },      // run config defaults, passed to createPipeline
 *   defaultArgs: { retries: 1, retryDelay: { minutes: 5 }, executionTimeout: { hours: 1 } },
 *   taskQueues: { Trainer: 'gpu' },   // `--executor redis`: only workers on `gpu` run Trainer
 * };
 * ```
 */
export interface DagOptions {
  dagId?: string;
  description?: string;
  /** A cron expression, a preset (`@daily`…), an interval, `@once`, or null for manual runs only. */
  schedule?: string | Interval | null;
  /** The first data interval starts here (needed by a schedule); an ISO date or a Date. */
  startDate?: string | Date;
  catchup?: boolean;
  maxActiveRuns?: number;
  isPausedUponCreation?: boolean;
  /** The run config's defaults: `createPipeline` receives them, overridden by a run's conf. */
  params?: Record<string, IrParameterValue>;
  defaultArgs?: {
    retries?: number;
    /** Default 5 minutes, as Airflow's. Seconds, or an interval. */
    retryDelay?: number | Interval;
    /** Seconds, or an interval; default none. */
    executionTimeout?: number | Interval | null;
    /** The queue of the tasks without one in `taskQueues` (Airflow's `queue`); default `default`. */
    queue?: string;
  };
  /**
   * Queues of single tasks, by task id (Airflow's operator `queue`): with `--executor redis` a
   * task runs only on a `tsfx worker` listening on its queue (`--queues`); the local executor
   * ignores queues, as Airflow's does.
   */
  taskQueues?: Record<string, string>;
  tags?: string[];
}

/** Airflow's `timedelta`, as an object: `{ hours: 1, minutes: 30 }`. */
export interface Interval {
  days?: number;
  hours?: number;
  minutes?: number;
  seconds?: number;
}

/** DAG options checked and with defaults filled in, as the scheduler stores them (JSON). */
export interface DagSpec {
  dagId: string;
  description: string | null;
  schedule: Schedule;
  /** Milliseconds since the epoch. */
  startDate: number | null;
  catchup: boolean;
  maxActiveRuns: number;
  isPausedUponCreation: boolean;
  params: Record<string, IrParameterValue>;
  defaultArgs: {
    retries: number;
    retryDelaySeconds: number;
    executionTimeoutSeconds: number | null;
    /** Only when the DAG names one (runs stored before queues existed have none). */
    queue?: string;
  };
  taskQueues?: Record<string, string>;
  tags: string[];
}

const nonNegative = v.pipe(v.number(), v.finite(), v.minValue(0));
const IntervalSchema = v.pipe(
  v.strictObject({
    days: v.optional(nonNegative),
    hours: v.optional(nonNegative),
    minutes: v.optional(nonNegative),
    seconds: v.optional(nonNegative),
  }),
  v.check((i) => intervalSeconds(i) > 0, 'an interval longer than zero'),
);
const secondsOrInterval = v.union(
  [v.pipe(v.number(), v.finite(), v.minValue(0)), IntervalSchema],
  'a number of seconds or an interval such as { minutes: 5 }',
);
/** A BullMQ queue name: no `:` (its Redis keys' separator). */
const queueName = v.pipe(
  v.string(),
  v.regex(/^[A-Za-z0-9_.-]+$/, 'a queue name: letters, digits, _ . -'),
);
const parameterValue: v.GenericSchema<IrParameterValue> = v.union(
  [
    v.string(),
    v.number(),
    v.boolean(),
    v.null(),
    v.array(v.lazy(() => parameterValue)),
    v.record(
      v.string(),
      v.lazy(() => parameterValue),
    ),
  ],
  'a JSON value',
);

const DagOptionsSchema = v.strictObject(
  {
    dagId: v.optional(
      v.pipe(v.string(), v.regex(PIPELINE_ID_PATTERN, 'an id: a letter, then [A-Za-z0-9_.-]')),
    ),
    description: v.optional(v.string()),
    schedule: v.optional(
      v.nullable(
        v.union(
          [v.string(), IntervalSchema],
          'a cron expression, a preset such as "@daily", an interval such as { hours: 1 }, or null',
        ),
      ),
    ),
    startDate: v.optional(
      v.union(
        [
          v.pipe(
            v.date(),
            v.check((d) => !Number.isNaN(d.getTime()), 'a valid date'),
          ),
          v.pipe(
            v.string(),
            v.check((s) => !Number.isNaN(Date.parse(s)), 'an ISO date such as "2019-01-01"'),
          ),
        ],
        'a Date or an ISO date such as "2019-01-01"',
      ),
    ),
    catchup: v.optional(v.boolean()),
    maxActiveRuns: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1))),
    isPausedUponCreation: v.optional(v.boolean()),
    params: v.optional(v.record(v.string(), parameterValue)),
    defaultArgs: v.optional(
      v.strictObject({
        retries: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
        retryDelay: v.optional(secondsOrInterval),
        executionTimeout: v.optional(v.nullable(secondsOrInterval)),
        queue: v.optional(queueName),
      }),
    ),
    taskQueues: v.optional(v.record(v.string(), queueName)),
    tags: v.optional(v.array(v.string())),
  },
  'an object of DAG options',
);

export function intervalSeconds(interval: number | Interval): number {
  if (typeof interval === 'number') return interval;
  return (
    (interval.days ?? 0) * 86400 +
    (interval.hours ?? 0) * 3600 +
    (interval.minutes ?? 0) * 60 +
    (interval.seconds ?? 0)
  );
}

/**
 * Checks a DAG file's `dag` export and fills in Airflow's defaults. Errors are one line naming
 * the file and the option: `dags/x.ts: dag.maxActiveRuns: expected an integer >= 1, got 0`.
 */
export function checkDagOptions(raw: unknown, pipelineName: string, file: string): DagSpec {
  const result = v.safeParse(DagOptionsSchema, raw, { abortEarly: true });
  if (!result.success) {
    const issue = result.issues[0];
    const path = ['dag', ...(issue.path ?? []).map((p) => String(p.key))].join('.');
    if (issue.type === 'strict_object' && issue.path?.length) {
      throw new TsfxError(`${file}: ${path}: unknown option`);
    }
    // Our own messages say what is expected in words; valibot's defaults start with "Invalid".
    const expected = /^Invalid /.test(issue.message) ? issue.expected : issue.message;
    throw new TsfxError(`${file}: ${path}: expected ${expected}, got ${describe(issue.input)}`);
  }
  const options = result.output;
  let schedule: Schedule;
  try {
    schedule = parseSchedule(options.schedule ?? null);
  } catch (error) {
    throw new TsfxError(`${file}: dag.schedule: ${(error as Error).message}`);
  }
  const startDate = options.startDate === undefined ? null : new Date(options.startDate).getTime();
  if (schedule.kind !== 'none' && startDate === null) {
    throw new TsfxError(
      `${file}: dag.startDate: a scheduled DAG needs a start date (the first data interval starts there)`,
    );
  }
  const defaults = options.defaultArgs ?? {};
  return {
    dagId: options.dagId ?? pipelineName,
    description: options.description ?? null,
    schedule,
    startDate,
    catchup: options.catchup ?? false,
    maxActiveRuns: options.maxActiveRuns ?? 1,
    isPausedUponCreation: options.isPausedUponCreation ?? true,
    params: options.params ?? {},
    defaultArgs: {
      retries: defaults.retries ?? 0,
      retryDelaySeconds: intervalSeconds(defaults.retryDelay ?? 300),
      executionTimeoutSeconds:
        defaults.executionTimeout === undefined || defaults.executionTimeout === null
          ? null
          : intervalSeconds(defaults.executionTimeout),
      ...(defaults.queue === undefined ? {} : { queue: defaults.queue }),
    },
    ...(options.taskQueues === undefined ? {} : { taskQueues: options.taskQueues }),
    tags: options.tags ?? [],
  };
}

/** `taskQueues` may name only the pipeline's tasks (a typo would leave a task on `default`). */
export function checkTaskQueues(spec: DagSpec, taskIds: string[], file: string): void {
  for (const id of Object.keys(spec.taskQueues ?? {})) {
    if (!taskIds.includes(id)) {
      throw new TsfxError(
        `${file}: dag.taskQueues.${id}: no task ${id} in the pipeline (tasks: ${taskIds.join(', ')})`,
      );
    }
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'object') return 'an object';
  return String(value);
}
