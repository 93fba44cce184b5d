/**
 * The scheduler's JSON API, shaped like Airflow's stable REST API v1 (`/api/v1/…`): the same
 * resource names, field names (snake_case), state names and collections (`{ dags: […],
 * total_entries }`), so that an Airflow user reads it as they read Airflow's. Only the fields
 * tsfx fills are declared; tsfx's own additions are grouped under `tsfx` so they never shadow an
 * Airflow field. The scheduler serves it, the CLI prints it (`-o json`), the Jupyter server
 * extension proxies it and the DAG panel reads it.
 *
 *   GET   /api/v1/dags                                   DAGCollection
 *   GET   /api/v1/dags/{dag_id}                          DAG
 *   PATCH /api/v1/dags/{dag_id}            {is_paused}   DAG
 *   GET   /api/v1/dags/{dag_id}/details                  DAGDetail
 *   GET   /api/v1/dags/{dag_id}/tasks                    TaskCollection
 *   GET   /api/v1/dags/{dag_id}/dagRuns[?state=…]        DAGRunCollection
 *   POST  /api/v1/dags/{dag_id}/dagRuns   TriggerDAGRun  DAGRun
 *   GET   /api/v1/dags/{dag_id}/dagRuns/{dag_run_id}     DAGRun
 *   GET   /api/v1/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances                       TaskInstanceCollection
 *   GET   /api/v1/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}             TaskInstance
 *   GET   /api/v1/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances/{task_id}/logs/{try}  text/plain
 *         (with `Accept: application/json`: TaskLog, `?token=` continues after `continuation_token`)
 *   GET   /api/v1/importErrors                           ImportErrorCollection
 *   GET   /api/v1/health                                 HealthInfo
 *
 * Errors are Airflow's problem JSON (`ApiError`): 400 bad request, 401/403 unauthenticated, 404
 * unknown DAG/run/task/try, 409 a run id that exists.
 */
import * as v from 'valibot';
import { bool, dict, finiteNumber, list, obj, oneOf, scalar, str } from '../check';

/** Airflow's task instance states (`null`: no status yet). */
export const TASK_STATES = [
  'scheduled',
  'queued',
  'running',
  'success',
  'failed',
  'up_for_retry',
  'upstream_failed',
  'skipped',
] as const;
export type TaskState = (typeof TASK_STATES)[number];

export const DAG_RUN_STATES = ['queued', 'running', 'success', 'failed'] as const;
export type DagRunState = (typeof DAG_RUN_STATES)[number];

/** Airflow's state colours (its `STATE_COLORS`): node outlines and grid cells use them. */
export const STATE_COLORS: Readonly<Record<TaskState | DagRunState | 'none', string>> = {
  scheduled: 'tan',
  queued: 'gray',
  running: 'lime',
  success: 'green',
  failed: 'red',
  up_for_retry: 'gold',
  upstream_failed: 'orange',
  skipped: 'hotpink',
  none: 'lightgrey',
};

export const DAG_RUN_TYPES = ['manual', 'scheduled', 'backfill'] as const;

const date = () => v.nullable(str());

/** Airflow's `ScheduleInterval`: a cron expression (presets expanded), a time delta, or none. */
export const ScheduleIntervalSchema = v.nullable(
  v.variant('__type', [
    obj({ __type: v.literal('CronExpression'), value: str() }),
    obj({
      __type: v.literal('TimeDelta'),
      days: finiteNumber(),
      seconds: finiteNumber(),
      microseconds: finiteNumber(),
    }),
  ]),
);

export const DAGSchema = obj({
  dag_id: str(),
  is_paused: bool(),
  is_active: bool(),
  /** The DAG file, as Airflow's `fileloc`. */
  fileloc: str(),
  description: v.nullable(str()),
  schedule_interval: ScheduleIntervalSchema,
  /** A human reading of the schedule (`At 00:00`, `Never, external triggers only`). */
  timetable_description: v.nullable(str()),
  tags: list(obj({ name: str() })),
  max_active_runs: finiteNumber(),
  has_import_errors: bool(),
  next_dagrun: date(),
  /** tsfx: the newest run's id and state, for a list that shows it without another request. */
  tsfx: obj({
    last_run_id: v.nullable(str()),
    last_run_state: v.nullable(oneOf(DAG_RUN_STATES)),
    pipeline_name: str(),
  }),
});

export const DAGCollectionSchema = obj({ dags: list(DAGSchema), total_entries: finiteNumber() });

/** A DAG with its definition details: start date, catchup, params (the run config's defaults). */
export const DAGDetailSchema = v.object({
  ...DAGSchema.entries,
  start_date: date(),
  catchup: bool(),
  params: dict(v.unknown()),
  default_args: obj({
    retries: finiteNumber(),
    /** Seconds. */
    retry_delay: finiteNumber(),
    /** Seconds, or null for none. */
    execution_timeout: v.nullable(finiteNumber()),
  }),
});

/** A task (one component): its operator is the component type; the edges are downstream ids. */
export const TaskSchema = obj({
  task_id: str(),
  /** Airflow's class_ref names the operator; here the component type (`Trainer`). */
  class_ref: obj({ class_name: str(), module_path: v.nullable(str()) }),
  downstream_task_ids: list(str()),
  retries: finiteNumber(),
  tsfx: obj({
    /** Input key → `<producer id>.<output key>` (the pipeline IR's channels). */
    inputs: dict(str()),
    /** Output key → artifact type. */
    outputs: dict(str()),
  }),
});

export const TaskCollectionSchema = obj({ tasks: list(TaskSchema), total_entries: finiteNumber() });

export const DAGRunSchema = obj({
  dag_run_id: str(),
  dag_id: str(),
  logical_date: date(),
  execution_date: date(),
  start_date: date(),
  end_date: date(),
  data_interval_start: date(),
  data_interval_end: date(),
  run_type: oneOf(DAG_RUN_TYPES),
  state: oneOf(DAG_RUN_STATES),
  external_trigger: bool(),
  conf: dict(v.unknown()),
});

export const DAGRunCollectionSchema = obj({
  dag_runs: list(DAGRunSchema),
  total_entries: finiteNumber(),
});

/** POST body: all optional, as Airflow's. */
export const TriggerDAGRunSchema = v.object({
  dag_run_id: v.optional(str()),
  logical_date: v.optional(str()),
  conf: v.optional(dict(v.unknown())),
});

export const PatchDAGSchema = obj({ is_paused: bool() });

/** An output artifact of a task's execution, to open in the same view a notebook shows. */
export const TaskArtifactSchema = obj({
  id: finiteNumber(),
  key: str(),
  type: str(),
  uri: str(),
  state: str(),
  properties: dict(scalar()),
});

export const TaskInstanceSchema = obj({
  task_id: str(),
  dag_id: str(),
  dag_run_id: str(),
  execution_date: date(),
  start_date: date(),
  end_date: date(),
  /** Seconds. */
  duration: v.nullable(finiteNumber()),
  state: v.nullable(oneOf(TASK_STATES)),
  try_number: finiteNumber(),
  max_tries: finiteNumber(),
  hostname: v.nullable(str()),
  operator: v.nullable(str()),
  queued_when: date(),
  pid: v.nullable(finiteNumber()),
  tsfx: obj({
    /** The component's execution reused an earlier one's outputs. */
    cached: bool(),
    /** The ML Metadata execution of the latest try, and its outputs. */
    execution_id: v.nullable(finiteNumber()),
    artifacts: list(TaskArtifactSchema),
  }),
});

export const TaskInstanceCollectionSchema = obj({
  task_instances: list(TaskInstanceSchema),
  total_entries: finiteNumber(),
});

/** `Accept: application/json` on a log: the text so far and where to continue from. */
export const TaskLogSchema = obj({ content: str(), continuation_token: v.nullable(str()) });

export const ImportErrorSchema = obj({
  import_error_id: finiteNumber(),
  timestamp: str(),
  filename: str(),
  stack_trace: str(),
});

export const ImportErrorCollectionSchema = obj({
  import_errors: list(ImportErrorSchema),
  total_entries: finiteNumber(),
});

/** Airflow's `/health`: the scheduler's heartbeat; tsfx adds where it runs and what it serves. */
export const HealthInfoSchema = obj({
  metadatabase: obj({ status: oneOf(['healthy', 'unhealthy'] as const) }),
  scheduler: obj({
    status: v.nullable(oneOf(['healthy', 'unhealthy'] as const)),
    latest_scheduler_heartbeat: date(),
  }),
  tsfx: obj({
    pid: finiteNumber(),
    dags_folder: str(),
    metadata_path: str(),
    parallelism: finiteNumber(),
  }),
});

/** Airflow's error body (RFC 7807 problem details). */
export const ApiErrorSchema = obj({
  type: str(),
  title: str(),
  status: finiteNumber(),
  detail: v.nullable(str()),
  instance: v.nullable(str()),
});

export type ScheduleInterval = v.InferOutput<typeof ScheduleIntervalSchema>;
export type DAG = v.InferOutput<typeof DAGSchema>;
export type DAGCollection = v.InferOutput<typeof DAGCollectionSchema>;
export type DAGDetail = v.InferOutput<typeof DAGDetailSchema>;
export type Task = v.InferOutput<typeof TaskSchema>;
export type TaskCollection = v.InferOutput<typeof TaskCollectionSchema>;
export type DAGRun = v.InferOutput<typeof DAGRunSchema>;
export type DAGRunCollection = v.InferOutput<typeof DAGRunCollectionSchema>;
export type TriggerDAGRun = v.InferOutput<typeof TriggerDAGRunSchema>;
export type PatchDAG = v.InferOutput<typeof PatchDAGSchema>;
export type TaskArtifact = v.InferOutput<typeof TaskArtifactSchema>;
export type TaskInstance = v.InferOutput<typeof TaskInstanceSchema>;
export type TaskInstanceCollection = v.InferOutput<typeof TaskInstanceCollectionSchema>;
export type TaskLog = v.InferOutput<typeof TaskLogSchema>;
export type ImportError = v.InferOutput<typeof ImportErrorSchema>;
export type ImportErrorCollection = v.InferOutput<typeof ImportErrorCollectionSchema>;
export type ApiError = v.InferOutput<typeof ApiErrorSchema>;
export type HealthInfo = v.InferOutput<typeof HealthInfoSchema>;
